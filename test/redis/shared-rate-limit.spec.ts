import { expect, it } from '@jest/globals';
import { runReplicasApart } from '../support/fleet/remote-replicas.js';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';

const INSTANCES = 20;
const VOICES = 25;
const LIMIT = 20;
const IDEAL_MS = ((INSTANCES * VOICES) / LIMIT) * 1000;

describeWithRedis('RedisHamsaCoordinator: one rate limit for the fleet', () => {
  const redis = useRedis();

  it(
    `${INSTANCES} instances × ${VOICES} voices at ${LIMIT}/s: no 429, no second above the limit, ` +
      'all ready within 1.1 × the ideal time',
    async () => {
      // In a process of their own, as pods are (and as the bench runs them).
      const result = await runReplicasApart({
        instances: INSTANCES,
        voices: VOICES,
        rateLimitPerSecond: LIMIT,
        options: { concurrency: 4, retries: 100, deadlineMs: 60_000, waitForReady: false },
        redis: { url: redis.server.url, options: { rateLimitPerSecond: LIMIT } },
      });
      expect(result).toMatchObject({
        ready: INSTANCES * VOICES,
        failed: 0,
        rateLimited: 0,
        requests: INSTANCES * VOICES,
      });
      expect(result.peakReceivedPerSecond).toBeLessThanOrEqual(LIMIT);
      expect(result.tookMs).toBeLessThanOrEqual(IDEAL_MS * 1.1);
    },
    IDEAL_MS * 2,
  );
});
