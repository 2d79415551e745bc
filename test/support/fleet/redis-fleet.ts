import { Cluster, Redis } from 'ioredis';
import {
  RedisHamsaCoordinator,
  type RedisHamsaCoordinatorOptions,
} from '../../../lib/redis/index.js';
import {
  REDIS_CLUSTER_INSTALL_HINT,
  RedisCluster,
  type RedisNode,
  redisClusterPresent,
} from '../redis-cluster.js';
import {
  REDIS_SENTINEL_INSTALL_HINT,
  RedisSentinelSet,
  redisSentinelPresent,
} from '../redis-sentinel.js';
import { REDIS_INSTALL_HINT, RedisServer, redisServerPresent } from '../redis-server.js';

/** Where a fleet's Redis is: one server's URL, a Cluster's nodes, or Sentinel's. */
export type RedisConnection = string | { cluster: RedisNode[] } | RedisSentinels;

/** A primary found through Sentinel, as ioredis' `sentinels` and `name` options take it. */
export interface RedisSentinels {
  sentinels: RedisNode[];
  name: string;
}

/** Commands fail fast while a connection is down (the coordinator bounds them anyway). */
const CLIENT_OPTIONS = { maxRetriesPerRequest: 1 };

/** A new client of the application's kind for `connection`. */
export function redisClient(connection: RedisConnection): Redis | Cluster {
  if (typeof connection === 'string') return new Redis(connection, CLIENT_OPTIONS);
  if ('cluster' in connection) {
    return new Cluster(connection.cluster, { redisOptions: CLIENT_OPTIONS });
  }
  return new Redis({ ...connection, ...CLIENT_OPTIONS });
}

/**
 * The replicas of one run: each gets its own ioredis client (as each pod has) and its own
 * coordinator; `close()` quits every client (the module never closes them).
 */
export class RedisFleet {
  readonly clients: (Redis | Cluster)[] = [];

  constructor(
    private readonly connection: RedisConnection,
    private readonly options: RedisHamsaCoordinatorOptions = {},
  ) {}

  /** A new replica's coordinator, on a new client. */
  coordinator = (): RedisHamsaCoordinator => {
    const client = redisClient(this.connection);
    client.on('error', () => undefined);
    this.clients.push(client);
    return new RedisHamsaCoordinator(client, this.options);
  };

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}

/** Runs `task` with a redis-server of its own, or says why it could not. */
export function withRedis<T>(
  task: (redis: RedisServer) => Promise<T[]>,
): Promise<{ rows: T[]; skipped?: string }> {
  return withServer(redisServerPresent, REDIS_INSTALL_HINT, () => RedisServer.start(), task);
}

/** Runs `task` with a 3-primary Redis Cluster of its own, or says why it could not. */
export function withRedisCluster<T>(
  task: (cluster: RedisCluster) => Promise<T[]>,
): Promise<{ rows: T[]; skipped?: string }> {
  return withServer(redisClusterPresent, REDIS_CLUSTER_INSTALL_HINT, RedisCluster.start, task);
}

/** Runs `task` with a primary, a replica and 3 sentinels of its own, or says why it could not. */
export function withRedisSentinel<T>(
  task: (set: RedisSentinelSet) => Promise<T[]>,
): Promise<{ rows: T[]; skipped?: string }> {
  return withServer(
    redisSentinelPresent,
    REDIS_SENTINEL_INSTALL_HINT,
    RedisSentinelSet.start,
    task,
  );
}

async function withServer<Server extends { close(): Promise<void> }, T>(
  present: boolean,
  hint: string,
  start: () => Promise<Server>,
  task: (server: Server) => Promise<T[]>,
): Promise<{ rows: T[]; skipped?: string }> {
  if (!present) return { rows: [], skipped: `absent: ${hint}` };
  const server = await start();
  try {
    return { rows: await task(server) };
  } finally {
    await server.close();
  }
}
