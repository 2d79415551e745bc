import { expect, it } from '@jest/globals';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';
import { KEEP_WARM, refreshesOver } from '../support/fleet/keep-warm-count.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';

describeWithRedis('RedisHamsaCoordinator: one keep-warm per fleet', () => {
  const harness = useHamsaHarness();
  const redis = useRedis();

  it('each voice is refreshed about once per interval across the replicas, not once per replica', async () => {
    const alone = await refreshesOver(harness);
    const coordinated = await refreshesOver(harness, redis.fleet({ keyPrefix: 'keep-warm:' }));

    // 5 intervals: 4 replicas alone refresh 5-6 times each; together, 5-6 times in all.
    expect(alone).toBeGreaterThanOrEqual(KEEP_WARM.replicas * 4);
    expect(coordinated).toBeGreaterThanOrEqual(3);
    expect(coordinated).toBeLessThanOrEqual(8);
  });
});
