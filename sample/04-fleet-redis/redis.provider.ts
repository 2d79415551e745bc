import { setTimeout as delay } from 'node:timers/promises';
import { type FactoryProvider, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** How long `quit()` may wait for Redis at shutdown before the connection is cut. */
const QUIT_TIMEOUT_MS = 2_000;

const logger = new Logger('Redis');

/**
 * This replica's Redis client (`REDIS_URL`, default `redis://127.0.0.1:6379`), shared with every
 * other replica through a `RedisHamsaCoordinator`; closed at shutdown within `QUIT_TIMEOUT_MS`.
 */
export class FleetRedis implements OnApplicationShutdown {
  constructor(readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    // quit() waits for Redis to answer, and a frozen Redis never does: wait a little, then cut.
    const waited = new AbortController();
    await Promise.race([
      this.client.quit().catch(() => undefined),
      delay(QUIT_TIMEOUT_MS, undefined, { signal: waited.signal }).catch(() => undefined),
    ]);
    waited.abort();
    this.client.disconnect();
  }
}

/** Provides `FleetRedis`, its client connecting at once. */
export const fleetRedisProvider: FactoryProvider<FleetRedis> = {
  provide: FleetRedis,
  useFactory: () => {
    // One try per command: while Redis is down, calls fail fast and the coordinator acts alone.
    const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: 1,
    });
    // Without an 'error' listener ioredis prints "Unhandled error event" at every retry. This one
    // says it once per outage; the coordinator logs what it does meanwhile.
    let down = false;
    client.on('error', (error: Error) => {
      if (!down) logger.warn(`Redis is unreachable, retrying: ${error.message}`);
      down = true;
    });
    client.on('ready', () => {
      if (down) logger.log('Redis is back');
      down = false;
    });
    return new FleetRedis(client);
  },
};
