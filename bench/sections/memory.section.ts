import { VoiceReadinessService } from '../../lib/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { createBenchApp } from '../support/bench-app.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { bytes } from '../support/format.js';
import { collectGarbage } from '../support/measure.js';
import { voiceIds } from '../support/module-run.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

const TARGET_BYTES = 2048;
const CONCURRENCY = 64;

/**
 * 5: heap per tracked voice: the heap after GC with N ready voices, less the heap after GC with
 * the same app and 0 voices, divided by N. The server should answer without latency.
 */
export async function benchMemory(
  server: RemoteFakeServer,
  settings: BenchSettings,
): Promise<SectionReport> {
  const voices = settings.memoryVoices;
  const emptyHeap = await heapWithApp(server, []);
  const fullHeap = await heapWithApp(server, voiceIds(voices));
  const perVoice = (fullHeap - emptyHeap) / voices;
  return {
    title: '[memory] Memory',
    description:
      `Heap used after GC by an app with ${voices} ready voices, less that of the same app with ` +
      `0 voices, divided by ${voices}. The voice IDs given in the options count.`,
    table: [
      ['app', 'heap used after GC'],
      ['module, 0 voices', bytes(emptyHeap)],
      [`module, ${voices} ready voices`, bytes(fullHeap)],
      ['per voice', bytes(perVoice)],
    ],
    targets: [
      {
        name: `[memory] heap per tracked voice at N = ${voices}`,
        target: `≤ ${bytes(TARGET_BYTES)}`,
        measured: bytes(perVoice),
        met: perVoice <= TARGET_BYTES,
      },
    ],
  };
}

/** Heap used after GC while an app with these voices, all preloaded, is running. */
async function heapWithApp(server: RemoteFakeServer, ids: string[]): Promise<number> {
  const app = await createBenchApp({
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds: ids,
    concurrency: CONCURRENCY,
  });
  try {
    await app.init();
    if (!app.get(VoiceReadinessService).isAllReady()) throw new Error('a voice did not preload');
    collectGarbage();
    return process.memoryUsage().heapUsed;
  } finally {
    await app.close();
  }
}
