import { type HamsaTtsRequest, HamsaTtsService } from '../../lib/index.js';
import { FakeHamsaServer } from '../../lib/testing/index.js';
import { type SectionReport, type TargetCheck } from '../report/report.interfaces.js';
import { createBenchApp } from '../support/bench-app.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms } from '../support/format.js';
import { median } from '../support/measure.js';

const CALLS = 100;
const EMPTY_RATE = 0.5;
const request: HamsaTtsRequest = { text: 'مرحبا بك في همسة', speaker: 'Amjad' };

/** One way of speaking `request`, resolving with the bytes of audio the caller got. */
type Speak = (tts: HamsaTtsService) => Promise<number>;

/** What `CALLS` sequential calls of one kind got from a server answering every second time empty. */
interface EmptyAnswerRun {
  withAudio: number;
  maxRequests: number;
  requests: number;
  medianMs: number;
}

async function audioBytes(chunks: AsyncIterable<Buffer>): Promise<number> {
  let total = 0;
  for await (const chunk of chunks) total += chunk.length;
  return total;
}

/**
 * Empty answers healed. The fake answers every second TTS answer with a WAV header alone
 * (`emptyAnswerRate` 0.5): each call must still bring audio, asking at most twice.
 */
export async function benchEmptyAnswers(_settings: BenchSettings): Promise<SectionReport> {
  const server = await FakeHamsaServer.start({ emptyAnswerRate: EMPTY_RATE });
  const app = await createBenchApp({
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds: [],
    retryDelayMs: 5,
  });
  try {
    await app.init();
    const tts = app.get(HamsaTtsService);
    const kinds: [string, Speak][] = [
      ['`synthesize()`', async (target) => (await target.synthesize(request)).length - 44],
      ['`stream()`', (target) => audioBytes(target.stream(request))],
      ['`speak()` (pooled)', (target) => audioBytes(target.speak(request))],
    ];
    const rows: string[][] = [];
    const targets: TargetCheck[] = [];
    for (const [name, speak] of kinds) {
      const run = await runCalls(server, tts, speak);
      rows.push([
        name,
        `${run.withAudio} of ${CALLS}`,
        String(run.maxRequests),
        String(run.requests),
        ms(run.medianMs),
      ]);
      targets.push({
        name: `[empty-answers] ${name}: calls with audio, most requests per call`,
        target: `${CALLS} of ${CALLS}, ≤ 2`,
        measured: `${run.withAudio} of ${CALLS}, ${run.maxRequests}`,
        met: run.withAudio === CALLS && run.maxRequests <= 2,
      });
    }
    return {
      title: '[empty-answers] Empty answers healed',
      description:
        `${CALLS} sequential calls of each kind against a fake server answering every second ` +
        `TTS answer with a WAV header alone (\`emptyAnswerRate: ${EMPTY_RATE}\`), ` +
        '`tts.minAudioMs` 30 (default), `retryDelayMs` 5.',
      table: [
        ['call', 'with audio', 'most requests per call', 'requests in all', 'median latency'],
        ...rows,
      ],
      targets,
    };
  } finally {
    await app.close();
    await server.close();
  }
}

async function runCalls(
  server: FakeHamsaServer,
  tts: HamsaTtsService,
  speak: Speak,
): Promise<EmptyAnswerRun> {
  server.reset();
  const run = { withAudio: 0, maxRequests: 0, requests: 0 };
  const durations: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const before = server.ttsCalls.length;
    const startedAt = performance.now();
    const bytes = await speak(tts).catch(() => 0);
    durations.push(performance.now() - startedAt);
    const requests = server.ttsCalls.length - before;
    if (bytes > 0) run.withAudio++;
    run.maxRequests = Math.max(run.maxRequests, requests);
    run.requests += requests;
  }
  return { ...run, medianMs: median(durations) };
}
