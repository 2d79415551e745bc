import { expect } from '@jest/globals';
import { FLEET, FLEET_IDEAL_MS } from './fleet-runs.js';
import { type ReplicaResult } from './replicas.js';

/** Every instance has every voice ready, and Hamsa was sent each preload once (no 429). */
export function expectEveryPreloadOnce(result: ReplicaResult): void {
  expect(result).toMatchObject({
    ready: FLEET.instances * FLEET.voices,
    failed: 0,
    rateLimited: 0,
    requests: FLEET.instances * FLEET.voices,
  });
}

/** The shared rate limit held: each preload once, no second above the limit, within 1.1 × T. */
export function expectPacedFleet(result: ReplicaResult): void {
  expectEveryPreloadOnce(result);
  expect(result.peakReceivedPerSecond).toBeLessThanOrEqual(FLEET.rateLimitPerSecond);
  expect(result.tookMs).toBeLessThanOrEqual(FLEET_IDEAL_MS * 1.1);
}
