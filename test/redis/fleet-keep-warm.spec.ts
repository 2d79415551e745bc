import { expect, it } from '@jest/globals';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';
import { sleep, useHamsaHarness } from '../support/hamsa-harness.js';

const voice = fakeVoiceId(1);
const INTERVAL_MS = 400;
const REPLICAS = 4;
/** Long enough for a few intervals on a loaded machine. */
const WATCH_MS = 5 * INTERVAL_MS;

describeWithRedis('RedisHamsaCoordinator: one keep-warm per fleet', () => {
  const harness = useHamsaHarness();
  const redis = useRedis();

  /** Refresh requests for the voice while `REPLICAS` replicas keep it warm for `WATCH_MS`. */
  async function refreshesOver(coordinated: boolean): Promise<number> {
    const server = await harness.server();
    const fleet = redis.fleet({ keyPrefix: `keep-warm-${coordinated}:` });
    for (let n = 0; n < REPLICAS; n++) {
      await harness.start(server, {
        voiceIds: [voice],
        refreshIntervalMs: INTERVAL_MS,
        ...(coordinated && { coordinator: fleet.coordinator() }),
      });
    }
    const preloads = server.requestsFor(voice).length;
    await sleep(WATCH_MS);
    return server.requestsFor(voice).length - preloads;
  }

  it('each voice is refreshed about once per interval across the replicas, not once per replica', async () => {
    const alone = await refreshesOver(false);
    const coordinated = await refreshesOver(true);

    // 5 intervals: 4 replicas alone refresh 5-6 times each; together, 5-6 times in all.
    expect(alone).toBeGreaterThanOrEqual(REPLICAS * 4);
    expect(coordinated).toBeGreaterThanOrEqual(3);
    expect(coordinated).toBeLessThanOrEqual(8);
  });
});
