import { HamsaTtsService } from '../../lib/index.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { createBenchApp } from '../support/bench-app.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms, times } from '../support/format.js';
import { median } from '../support/measure.js';

const COLD_START_MS = 300;
const TEXT = 'مرحبا بك في همسة';

/**
 * 8: the first real-time TTS call's latency with a cold voice vs a preloaded one, side by side,
 * against the fake server's cold-voice penalty (`coldStartMs`).
 */
export async function benchTtsColdStart(settings: BenchSettings): Promise<SectionReport> {
  const rounds = settings.ttsRounds;
  // A preload takes as long as the model load it performs, so on-demand preloading is not free.
  const server = await FakeHamsaServer.start({
    coldStartMs: COLD_START_MS,
    latencyMs: COLD_START_MS,
  });
  const preloaded = Array.from({ length: 2 * rounds }, (_, i) => fakeVoiceId(100 + i));
  const app = await createBenchApp({
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds: preloaded,
  });
  try {
    await app.init();
    const tts = app.get(HamsaTtsService);
    /** One first TTS call straight to the endpoint, as code without this module would make it. */
    const rawCall = async (speaker: string): Promise<number> => {
      const startedAt = performance.now();
      const response = await fetch(`${server.url}/v1/realtime/tts`, {
        method: 'POST',
        headers: { authorization: `Token ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: TEXT, speaker }),
      });
      await response.arrayBuffer();
      return performance.now() - startedAt;
    };
    const serviceCall = async (speaker: string): Promise<number> => {
      const startedAt = performance.now();
      await tts.synthesize({ text: TEXT, speaker });
      return performance.now() - startedAt;
    };
    const cold: number[] = [];
    const warm: number[] = [];
    const service: number[] = [];
    const onDemand: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Interleaved, so that every kind of call sees the same machine load.
      cold.push(await rawCall(fakeVoiceId(200 + round)));
      warm.push(await rawCall(preloaded[round]));
      service.push(await serviceCall(preloaded[rounds + round]));
      onDemand.push(await serviceCall(fakeVoiceId(300 + round)));
    }
    return {
      title: '[tts-cold-start] What preloading buys',
      description:
        `First real-time TTS call (\`POST /v1/realtime/tts\`) per voice; the fake server's ` +
        `cold-voice penalty and its preload latency are both ${COLD_START_MS} ms; medians of ` +
        `${rounds} interleaved rounds.`,
      table: [
        ['first call', 'latency'],
        ['raw POST, cold voice (never preloaded)', ms(median(cold))],
        ['raw POST, voice preloaded at startup', ms(median(warm))],
        ['`synthesize()`, voice preloaded at startup', ms(median(service))],
        ['`synthesize()`, unconfigured voice: preloaded on demand', ms(median(onDemand))],
        ['cold ÷ preloaded', times(median(cold) / median(warm))],
      ],
      targets: [],
    };
  } finally {
    await app.close();
    await server.close();
  }
}
