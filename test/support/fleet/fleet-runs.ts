import { setTimeout as sleep } from 'node:timers/promises';
import { type HamsaVoiceModuleOptions } from '../../../lib/index.js';
import { type RedisHamsaCoordinatorOptions } from '../../../lib/redis/index.js';
import { type RedisConnection } from './redis-fleet.js';
import { type ReplicaResult } from './replicas.js';
import { type ApartScenario, runReplicasApart } from './remote-replicas.js';

/** The fleet: 20 instances × 25 voices against an account limited to 20 preloads/s. */
export const FLEET = { instances: 20, voices: 25, rateLimitPerSecond: 20 };
/** T: the time the account's limit allows for the fleet's preloads. */
export const FLEET_IDEAL_MS = ((FLEET.instances * FLEET.voices) / FLEET.rateLimitPerSecond) * 1000;
/** docs/fleet.md's sizing for a rollout: patient enough to outlast the account's queue. */
export const PATIENT: Partial<HamsaVoiceModuleOptions> = {
  concurrency: 4,
  retries: 100,
  deadlineMs: 60_000,
  waitForReady: false,
};
/** The coordinator's log lines as it becomes `degraded` and `connected` again. */
export const LINK_LINES = {
  degraded: 'Redis coordinator unavailable',
  connected: 'Redis coordinator reachable again',
  cooldown: 'Hamsa answered 429 to a preload request',
};

/**
 * The fleet in a process of its own (`runReplicasApart`), every instance coordinating on
 * `connection` with `options`, the coordinator's log lines counted; `incident` (Redis killed,
 * a failover) runs `incidentAtMs` after the start.
 */
export async function runFleetApart(
  connection: RedisConnection,
  options: RedisHamsaCoordinatorOptions,
  incident?: { atMs: number; run: () => Promise<void> },
  scenario: Partial<ApartScenario> = {},
): Promise<ReplicaResult> {
  const run = runReplicasApart({
    ...FLEET,
    options: PATIENT,
    redis: { connection, options },
    countLogs: Object.values(LINK_LINES),
    ...scenario,
  });
  if (incident) {
    await Promise.race([sleep(incident.atMs), run.catch(() => undefined)]);
    await incident.run();
  }
  return run;
}
