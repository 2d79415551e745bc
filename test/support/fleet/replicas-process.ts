// A replicas scenario in a process of its own: fresh, with nothing else on its heap or event loop,
// as `npm run bench` runs it. Started by `runReplicasApart()` with the scenario as JSON in argv[2];
// sends the result to the parent over IPC and exits.
import { type ReplicaResult, runReplicas } from './replicas.js';
import { RedisFleet } from './redis-fleet.js';
import { type ApartScenario } from './remote-replicas.js';

const { redis, ...scenario } = JSON.parse(process.argv[2] ?? '{}') as ApartScenario;
const fleet = redis && new RedisFleet(redis.connection, redis.options);
try {
  const result: ReplicaResult = await runReplicas({ ...scenario, coordinator: fleet?.coordinator });
  process.send?.(result);
} finally {
  await fleet?.close();
  process.disconnect();
}
