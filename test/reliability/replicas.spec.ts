import { describe, expect, it } from '@jest/globals';
import { type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { type ReplicaResult, runReplicas } from '../support/fleet/replicas.js';

/**
 * The CI-sized copy of `npm run bench`: 5 instances × 10 voices against 20 req/s (ideal 2.5 s).
 * Bounds, derived in docs/fleet.md ("Sizing startupJitterMs"):
 * - time ≤ 1.5 × ideal, plus 2 s of slack for a shared CI machine and the last Retry-After;
 * - accepted per second ≤ the limit (the fake server enforces it; checked as a sanity test);
 * - received per second ≤ limit + instances × concurrency: after a 429 a slot waits at least
 *   `Retry-After` (1 s), so each in-flight slot adds at most one rejected request per second.
 */
const INSTANCES = 5;
const VOICES = 10;
const LIMIT = 20;
const CONCURRENCY = 4;
const IDEAL_MS = ((INSTANCES * VOICES) / LIMIT) * 1000;
/** Enough attempts and time that a voice never gives up while the account is saturated. */
const PATIENT: Partial<HamsaVoiceModuleOptions> = {
  concurrency: CONCURRENCY,
  retries: 100,
  deadlineMs: 30_000,
  waitForReady: false,
};

function expectWithinBounds(result: ReplicaResult): void {
  expect(result).toMatchObject({ ready: INSTANCES * VOICES, failed: 0 });
  expect(result.tookMs).toBeLessThanOrEqual(IDEAL_MS * 1.5 + 2_000);
  expect(result.peakAcceptedPerSecond).toBeLessThanOrEqual(LIMIT);
  expect(result.peakReceivedPerSecond).toBeLessThanOrEqual(LIMIT + INSTANCES * CONCURRENCY);
}

describe(`${INSTANCES} replicas × ${VOICES} voices against one account limited to ${LIMIT} req/s`, () => {
  it('all get ready, without and with startupJitterMs, within the bounds', async () => {
    const burst = await runReplicas({
      instances: INSTANCES,
      voices: VOICES,
      rateLimitPerSecond: LIMIT,
      options: PATIENT,
    });
    const spread = await runReplicas({
      instances: INSTANCES,
      voices: VOICES,
      rateLimitPerSecond: LIMIT,
      // docs/fleet.md's sizing: 1.25 × the time the account needs for every preload.
      options: { ...PATIENT, startupJitterMs: IDEAL_MS * 1.25 },
    });
    console.log(
      `replicas (ideal ${IDEAL_MS} ms): burst ${JSON.stringify(burst)}; jittered ${JSON.stringify(spread)}`,
    );

    expectWithinBounds(burst);
    expectWithinBounds(spread);
    // Spreading the start is what keeps the server near its limit instead of bouncing 429s.
    expect(spread.rateLimited).toBeLessThan(burst.rateLimited);
  }, 30_000);
});
