import { Redis } from 'ioredis';
import { RedisHamsaCoordinator, type RedisHamsaCoordinatorOptions } from '../../lib/redis/index.js';
import { type RedisServer } from '../support/redis-server.js';

/**
 * The replicas of one test: each gets its own ioredis client (as each pod has) and its own
 * coordinator; `close()` quits every client (the module never closes them).
 */
export class Fleet {
  readonly clients: Redis[] = [];

  constructor(
    private readonly redis: Pick<RedisServer, 'url'>,
    private readonly options: RedisHamsaCoordinatorOptions = {},
  ) {}

  /** A new replica's coordinator, on a new client. */
  coordinator = (overrides: RedisHamsaCoordinatorOptions = {}): RedisHamsaCoordinator => {
    const client = new Redis(this.redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    this.clients.push(client);
    return new RedisHamsaCoordinator(client, { ...this.options, ...overrides });
  };

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
