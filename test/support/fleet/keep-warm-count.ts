import { fakeVoiceId } from '../../../lib/testing/index.js';
import { type HamsaHarness, sleep } from '../hamsa-harness.js';
import { type RedisFleet } from './redis-fleet.js';

const voice = fakeVoiceId(1);
export const KEEP_WARM = { intervalMs: 400, replicas: 4 };
/** Long enough for a few intervals on a loaded machine. */
const WATCH_MS = 5 * KEEP_WARM.intervalMs;

/**
 * Refresh requests for one voice while `KEEP_WARM.replicas` replicas keep it warm for 5
 * intervals, each on its own coordinator of `fleet` (or alone, without one).
 */
export async function refreshesOver(harness: HamsaHarness, fleet?: RedisFleet): Promise<number> {
  const server = await harness.server();
  for (let n = 0; n < KEEP_WARM.replicas; n++) {
    await harness.start(server, {
      voiceIds: [voice],
      refreshIntervalMs: KEEP_WARM.intervalMs,
      ...(fleet && { coordinator: fleet.coordinator() }),
    });
  }
  const preloads = server.requestsFor(voice).length;
  await sleep(WATCH_MS);
  return server.requestsFor(voice).length - preloads;
}
