import { expect, it } from '@jest/globals';
import { describeWithRedisSentinel, useRedisSentinel } from '../support/describe-with-redis.js';
import { FLEET, FLEET_IDEAL_MS, LINK_LINES, runFleetApart } from '../support/fleet/fleet-runs.js';

const { instances, voices, rateLimitPerSecond } = FLEET;

describeWithRedisSentinel('RedisHamsaCoordinator on Sentinel: a failover mid-run', () => {
  const redis = useRedisSentinel();

  it(
    `${instances} × ${voices} at ${rateLimitPerSecond}/s, the primary killed at T/3: all ready ` +
      'within 1.5 × T, at most 1.2 × the limit in any second, each preload accepted once, ' +
      "at most one 'degraded' and one 'connected' line per replica",
    async () => {
      const { sentinels, name } = redis.server;
      const result = await runFleetApart(
        { sentinels, name },
        { rateLimitPerSecond },
        { atMs: FLEET_IDEAL_MS / 3, run: () => redis.server.killPrimary() },
      );

      expect(result).toMatchObject({ ready: instances * voices, failed: 0 });
      // Neither lost nor sent twice: Hamsa accepted each preload exactly once.
      expect(result.requests - result.rateLimited).toBe(instances * voices);
      expect(result.peakReceivedPerSecond).toBeLessThanOrEqual(rateLimitPerSecond * 1.2);
      expect(result.tookMs).toBeLessThanOrEqual(FLEET_IDEAL_MS * 1.5);
      // Every replica lost its connection, then found the new primary: once each way.
      expect(result.logs[LINK_LINES.degraded]).toBeGreaterThanOrEqual(1);
      expect(result.logs[LINK_LINES.degraded]).toBeLessThanOrEqual(instances);
      expect(result.logs[LINK_LINES.connected]).toBe(result.logs[LINK_LINES.degraded]);
      console.log(JSON.stringify(result));
    },
    FLEET_IDEAL_MS * 3,
  );
});
