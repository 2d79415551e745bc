import { Redis } from 'ioredis';
import {
  RedisHamsaCoordinator,
  type RedisHamsaCoordinatorOptions,
} from '../../../lib/redis/index.js';
import { REDIS_INSTALL_HINT, RedisServer, redisServerPresent } from '../redis-server.js';

/**
 * The replicas of one run: each gets its own ioredis client (as each pod has) and its own
 * coordinator; `close()` quits every client (the module never closes them).
 */
export class RedisFleet {
  readonly clients: Redis[] = [];

  constructor(
    private readonly url: string,
    private readonly options: RedisHamsaCoordinatorOptions = {},
  ) {}

  /** A new replica's coordinator, on a new client. */
  coordinator = (): RedisHamsaCoordinator => {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    this.clients.push(client);
    return new RedisHamsaCoordinator(client, this.options);
  };

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}

/** Runs `task` with a redis-server of its own, or says why it could not. */
export async function withRedis<T>(
  task: (redis: RedisServer) => Promise<T[]>,
): Promise<{ rows: T[]; skipped?: string }> {
  if (!redisServerPresent) return { rows: [], skipped: `no redis-server (${REDIS_INSTALL_HINT})` };
  const redis = await RedisServer.start();
  try {
    return { rows: await task(redis) };
  } finally {
    await redis.close();
  }
}
