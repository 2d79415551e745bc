import { type INestApplicationContext } from '@nestjs/common';
import { type Bench } from 'tinybench';
import { VoiceReadinessService } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { createBenchApp } from './bench-app.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

/** Calls per tinybench iteration, so that the timer's own cost is spread over many calls. */
export const SYNC_BATCH = 1000;

/** An app with one configured voice against `server`, initialised: the voice is ready. */
export async function readyVoiceApp(server: RemoteFakeServer): Promise<{
  app: INestApplicationContext;
  readiness: VoiceReadinessService;
  voiceId: string;
}> {
  const voiceId = fakeVoiceId(1);
  const app = await createBenchApp({
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds: [voiceId],
  });
  try {
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, readiness: app.get(VoiceReadinessService), voiceId };
}

/** A completed tinybench task's median iteration divided by its `batch` calls, in ns. */
export function nsPerCall(bench: Bench, name: string, batch: number): number {
  const result = bench.getTask(name)?.result;
  if (result?.state !== 'completed') throw new Error(`${name}: ${result?.state}`);
  return (result.latency.p50 * 1e6) / batch;
}
