import { type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { type HamsaCoordinator } from '../lib/index.js';
import { RedisHamsaCoordinator } from '../lib/redis/index.js';

/**
 * The sample's Redis client when `REDIS_URL` is set, for a `RedisHamsaCoordinator` shared by every
 * replica (see "Running many replicas" in the README); quit when the application shuts down.
 */
export class FleetRedis implements OnApplicationShutdown {
  constructor(
    /** `undefined` without `REDIS_URL`: the replica acts alone. */
    readonly client?: Redis,
  ) {}

  /**
   * The coordinator of this replica: the account's limit from `HAMSA_RATE_LIMIT_PER_SECOND`,
   * sharing from `HAMSA_SHARE_PRELOADS_MS` (`0` or unset: off).
   */
  coordinator(config: ConfigService): HamsaCoordinator | undefined {
    if (!this.client) return undefined;
    const limit = config.get<string>('HAMSA_RATE_LIMIT_PER_SECOND');
    return new RedisHamsaCoordinator(this.client, {
      keyPrefix: 'hamsa-sample:',
      rateLimitPerSecond: limit ? Number(limit) : undefined,
      sharePreloadsForMs: Number(config.get<string>('HAMSA_SHARE_PRELOADS_MS') ?? 0),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}

/** Provides `FleetRedis`: a client only when `REDIS_URL` is set. */
export const fleetRedisProvider: FactoryProvider<FleetRedis> = {
  provide: FleetRedis,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => {
    const url = config.get<string>('REDIS_URL');
    if (!url) return new FleetRedis();
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    // Failures reach the coordinator, which logs them once and acts alone meanwhile.
    client.on('error', () => undefined);
    return new FleetRedis(client);
  },
};
