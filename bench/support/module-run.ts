import { VoiceReadinessService } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { createBenchApp } from './bench-app.js';
import { type FakeServerStats } from '../../test/support/fleet/fake-server-protocol.js';
import { measure, type Timing } from './measure.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

/** What one application start measured. */
export interface PreloadRun extends Timing {
  /** Voices ready once `init()` resolved. */
  ready: number;
  server: FakeServerStats;
}

/** `count` distinct cloned-voice IDs. */
export function voiceIds(count: number): string[] {
  return Array.from({ length: count }, (_, n) => fakeVoiceId(n));
}

/**
 * Starts an app whose `HamsaVoiceModule` preloads `voices` voices against `server`, timing
 * `init()` (which waits for every voice, `waitForReady` being on), then closes it.
 */
export async function runModule(
  server: RemoteFakeServer,
  voices: number,
  concurrency: number,
): Promise<PreloadRun> {
  const app = await createBenchApp({
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds: voiceIds(voices),
    concurrency,
    failOnError: false,
  });
  try {
    await server.stats();
    const timing = await measure(() => app.init());
    const statuses = app.get(VoiceReadinessService).getAllStatuses();
    const ready = statuses.filter((status) => status.state === 'ready').length;
    return { ...timing, ready, server: await server.stats() };
  } finally {
    await app.close();
  }
}
