import { setTimeout as sleep } from 'node:timers/promises';
import { type INestApplication } from '@nestjs/common';
import { HamsaTtsService } from '../../lib/index.js';
import { FakeHamsaServer } from '../../lib/testing/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { createBenchApp } from '../support/bench-app.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms, times } from '../support/format.js';
import { median } from '../support/measure.js';

const HELLO_DELAY_MS = 200;
const WARM_SESSIONS = 2;
const TEXT = 'مرحبا';

/** How long one `openSession()` took, and until the first audio frame of a short `speak()`. */
interface Usable {
  openMs: number;
  firstFrameMs: number;
}

/**
 * A session ready to speak: `openSession()` with `tts.warmSessions` against without, side by
 * side, against a fake server that says hello `HELLO_DELAY_MS` after accepting a WebSocket.
 */
export async function benchWarmSessions(settings: BenchSettings): Promise<SectionReport> {
  const rounds = settings.warmSessionRounds;
  const server = await FakeHamsaServer.start({ newConnectionDelayMs: HELLO_DELAY_MS });
  const options = { apiKey: server.apiKey, baseUrl: server.url, voiceIds: [] };
  const cold = await createBenchApp(options);
  const warm = await createBenchApp({ ...options, tts: { warmSessions: WARM_SESSIONS } });
  try {
    await cold.init();
    await warm.init();
    const coldRuns: Usable[] = [];
    const warmRuns: Usable[] = [];
    for (let round = 0; round < rounds; round++) {
      // Long enough for the pool to have replaced the session it handed out last round.
      await sleep(HELLO_DELAY_MS + 100);
      // Interleaved, so that both see the same machine load.
      coldRuns.push(await timeUsable(cold));
      warmRuns.push(await timeUsable(warm));
    }
    const openRatio = medianOf(coldRuns, 'openMs') / medianOf(warmRuns, 'openMs');
    const frameRatio = medianOf(coldRuns, 'firstFrameMs') / medianOf(warmRuns, 'firstFrameMs');
    return {
      title: '[warm-sessions] Warm WebSocket sessions',
      description:
        `\`openSession()\` alone, and \`openSession()\` plus the first audio frame of a short ` +
        `\`speak()\` (built-in speaker), with \`tts.warmSessions: ${WARM_SESSIONS}\` against ` +
        `without; the fake server says hello ${HELLO_DELAY_MS} ms after accepting a WebSocket; ` +
        `medians of ${rounds} interleaved rounds.`,
      table: [
        ['session', '`openSession()`', 'open + first frame'],
        [
          'opened on demand (default)',
          ms(medianOf(coldRuns, 'openMs')),
          ms(medianOf(coldRuns, 'firstFrameMs')),
        ],
        [
          `from the pool (\`warmSessions: ${WARM_SESSIONS}\`)`,
          ms(medianOf(warmRuns, 'openMs')),
          ms(medianOf(warmRuns, 'firstFrameMs')),
        ],
        ['on demand ÷ pool', times(openRatio, 0), times(frameRatio, 0)],
      ],
      targets: [],
    };
  } finally {
    await cold.close();
    await warm.close();
    await server.close();
  }
}

/** Opens a session, speaks until the first frame, and closes it again. */
async function timeUsable(app: INestApplication): Promise<Usable> {
  const startedAt = performance.now();
  const session = await app.get(HamsaTtsService).openSession();
  const openMs = performance.now() - startedAt;
  try {
    for await (const _frame of session.speak({ text: TEXT, speaker: 'Amjad' })) break;
    return { openMs, firstFrameMs: performance.now() - startedAt };
  } finally {
    await session.close();
  }
}

function medianOf(runs: Usable[], field: keyof Usable): number {
  return median(runs.map((run) => run[field]));
}
