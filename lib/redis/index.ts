/**
 * Fleet coordination on Redis, imported from `nestjs-hamsa/redis`: `RedisHamsaCoordinator`, for
 * the module's `coordinator` option. It needs `ioredis` 5 or 6 (the application's own client: a
 * `Redis` on one server or configured with `sentinels`, or a `Cluster`); the main entry does not.
 */
export { RedisHamsaCoordinator } from './redis-hamsa-coordinator.js';
export type { RedisHamsaCoordinatorOptions } from './redis-coordinator-options.js';
