import { afterAll, afterEach, beforeAll, describe } from '@jest/globals';
import { type RedisConnection, RedisFleet } from './fleet/redis-fleet.js';
import { type RedisHamsaCoordinatorOptions } from '../../lib/redis/index.js';
import { REDIS_CLUSTER_INSTALL_HINT, RedisCluster, redisClusterPresent } from './redis-cluster.js';
import {
  REDIS_SENTINEL_INSTALL_HINT,
  RedisSentinelSet,
  redisSentinelPresent,
} from './redis-sentinel.js';
import { REDIS_INSTALL_HINT, RedisServer, redisServerPresent } from './redis-server.js';

/** `describe` when `present`; else `describe.skip`, its name saying how to install what is absent. */
function describeIf(present: boolean, hint: string, name: string, body: () => void): void {
  if (present) describe(name, body);
  else describe.skip(`${name} (absent: ${hint})`, body);
}

/** `describe` when `redis-server` is installed. */
export function describeWithRedis(name: string, body: () => void): void {
  describeIf(redisServerPresent, REDIS_INSTALL_HINT, name, body);
}

/** `describe` when a Redis Cluster can be made (`redis-server`, `redis-cli`). */
export function describeWithRedisCluster(name: string, body: () => void): void {
  describeIf(redisClusterPresent, REDIS_CLUSTER_INSTALL_HINT, name, body);
}

/** `describe` when Sentinel can run (`redis-server`, `redis-sentinel`, `redis-cli`). */
export function describeWithRedisSentinel(name: string, body: () => void): void {
  describeIf(redisSentinelPresent, REDIS_SENTINEL_INSTALL_HINT, name, body);
}

/** What a test file's Redis is, and the fleets of replicas its tests build on it. */
export interface RedisFixture<Server> {
  /** Started before the file's tests, stopped after them. */
  readonly server: Server;
  /** Replicas coordinating on the server (or at `connection`), their clients quit after the test. */
  fleet(options?: RedisHamsaCoordinatorOptions, connection?: RedisConnection): RedisFleet;
}

/** Call inside a `describeWithRedis`: registers the hooks that start and stop what it gives. */
export function useRedis(): RedisFixture<RedisServer> {
  return useRedisOf(
    () => RedisServer.start(),
    (server) => server.url,
  );
}

/** Call inside a `describeWithRedisCluster`: a 3-primary cluster for the file's tests. */
export function useRedisCluster(): RedisFixture<RedisCluster> {
  return useRedisOf(
    () => RedisCluster.start(),
    (cluster) => ({ cluster: cluster.nodes }),
  );
}

/** Call inside a `describeWithRedisSentinel`: a primary, a replica and 3 sentinels for the file's tests. */
export function useRedisSentinel(): RedisFixture<RedisSentinelSet> {
  return useRedisOf(
    () => RedisSentinelSet.start(),
    (set) => ({ sentinels: set.sentinels, name: set.name }),
  );
}

function useRedisOf<Server extends { close(): Promise<void> }>(
  start: () => Promise<Server>,
  connectionOf: (server: Server) => RedisConnection,
): RedisFixture<Server> {
  let server: Server | undefined;
  const fleets: RedisFleet[] = [];
  beforeAll(async () => {
    server = await start();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((fleet) => fleet.close()));
  });
  afterAll(() => server?.close());

  const fixture: RedisFixture<Server> = {
    get server() {
      if (!server) throw new Error('the Redis servers are not running');
      return server;
    },
    fleet(options = {}, connection = connectionOf(fixture.server)) {
      const fleet = new RedisFleet(connection, options);
      fleets.push(fleet);
      return fleet;
    },
  };
  return fixture;
}
