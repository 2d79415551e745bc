import { it } from '@jest/globals';
import { FLEET, FLEET_IDEAL_MS, runFleetApart } from '../support/fleet/fleet-runs.js';
import { expectPacedFleet } from '../support/fleet/fleet-expectations.js';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';

const { instances, voices, rateLimitPerSecond } = FLEET;

describeWithRedis('RedisHamsaCoordinator: one rate limit for the fleet', () => {
  const redis = useRedis();

  it(
    `${instances} instances × ${voices} voices at ${rateLimitPerSecond}/s: no 429, no second ` +
      'above the limit, all ready within 1.1 × the ideal time',
    async () => {
      // In a process of their own, as pods are (and as the bench runs them).
      const result = await runFleetApart(redis.server.url, { rateLimitPerSecond });
      expectPacedFleet(result);
    },
    FLEET_IDEAL_MS * 2,
  );
});
