import { expect, it } from '@jest/globals';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';
import { FLEET, FLEET_IDEAL_MS, LINK_LINES, runFleetApart } from '../support/fleet/fleet-runs.js';
import { type ReplicaResult } from '../support/fleet/replicas.js';
import { freePort } from '../support/free-port.js';

const { instances, voices, rateLimitPerSecond } = FLEET;

/** Every voice ready, each accepted once, never above 1.2 × the limit in a second. */
function expectLimitKept(result: ReplicaResult): void {
  expect(result).toMatchObject({ ready: instances * voices, failed: 0 });
  expect(result.requests - result.rateLimited).toBe(instances * voices);
  expect(result.peakReceivedPerSecond).toBeLessThanOrEqual(rateLimitPerSecond * 1.2);
  // Paced alone at 1 request per 1.05 s each, the fleet is hardly slower (generous bound).
  expect(result.tookMs).toBeLessThanOrEqual(FLEET_IDEAL_MS * 1.5);
  // Once per replica.
  expect(result.logs[LINK_LINES.degraded]).toBe(instances);
}

describeWithRedis(
  'RedisHamsaCoordinator: the fleet keeps the limit while Redis is unavailable',
  () => {
    const redis = useRedis();

    it(
      `${instances} × ${voices} at ${rateLimitPerSecond}/s, Redis stopped at T/3 (the fleet seen ` +
        'through it): each replica paces at limit / 20, at most 1.2 × the limit in any second',
      async () => {
        let result: ReplicaResult;
        try {
          result = await runFleetApart(
            redis.server.url,
            { keyPrefix: 'stopped:', rateLimitPerSecond },
            { atMs: FLEET_IDEAL_MS / 3, run: () => redis.server.stop() },
          );
        } finally {
          await redis.server.restart();
        }
        expectLimitKept(result);
        expect(result.logs[LINK_LINES.connected]).toBe(0);
      },
      FLEET_IDEAL_MS * 3,
    );

    it(
      `${instances} × ${voices} at ${rateLimitPerSecond}/s, Redis unreachable from the start, ` +
        'expectedReplicas: 20: at most 1.2 × the limit in any second',
      async () => {
        const nowhere = `redis://127.0.0.1:${await freePort()}`;
        const result = await runFleetApart(nowhere, { rateLimitPerSecond, expectedReplicas: 20 });
        expectLimitKept(result);
      },
      FLEET_IDEAL_MS * 3,
    );
  },
);
