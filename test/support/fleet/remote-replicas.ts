import { once } from 'node:events';
import { type RedisHamsaCoordinatorOptions } from '../../../lib/redis/index.js';
import { type ReplicaResult, type ReplicaScenario } from './replicas.js';
import { forkScript } from './fork-ts.js';
import { type RedisConnection } from './redis-fleet.js';

/** A replicas scenario that a child process can run: each instance's coordinator on `redis`. */
export type ApartScenario = Omit<ReplicaScenario, 'coordinator'> & {
  redis?: { connection: RedisConnection; options: RedisHamsaCoordinatorOptions };
};

/**
 * Runs the scenario in a fresh process (`replicas-process.ts`), as the bench does: a test's own
 * heap and event loop (long GC pauses late in a suite) would hold the 20 instances' sends up.
 */
export async function runReplicasApart(scenario: ApartScenario): Promise<ReplicaResult> {
  const script = new URL('./replicas-process.js', import.meta.url);
  const child = forkScript(script, [JSON.stringify(scenario)], { stdio: 'inherit' });
  const exited = once(child, 'exit');
  const [result] = (await Promise.race([once(child, 'message'), exited.then(failed)])) as [
    ReplicaResult,
  ];
  await exited;
  return result;
}

function failed([code]: unknown[]): never {
  throw new Error(`the replicas process exited (${String(code)}) without a result`);
}
