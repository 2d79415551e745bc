import { expect, it } from '@jest/globals';
import { runReplicas } from '../../bench/replicas.js';
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
      const fleet = redis.fleet({ rateLimitPerSecond: LIMIT });
      try {
        const result = await runReplicas({
          instances: INSTANCES,
          voices: VOICES,
          rateLimitPerSecond: LIMIT,
          options: { concurrency: 4, retries: 100, deadlineMs: 60_000, waitForReady: false },
          coordinator: fleet.coordinator,
        });
        expect(result).toMatchObject({
          ready: INSTANCES * VOICES,
          failed: 0,
          rateLimited: 0,
          requests: INSTANCES * VOICES,
        });
        expect(result.peakReceivedPerSecond).toBeLessThanOrEqual(LIMIT);
        expect(result.tookMs).toBeLessThanOrEqual(IDEAL_MS * 1.1);
      } finally {
        await fleet.close();
      }
    },
    IDEAL_MS * 2,
  );
});
