import { Module } from '@nestjs/common';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { RedisHamsaCoordinator } from 'nestjs-hamsa/redis';
import { VoicesController } from '../01-preload/voices.controller.js';
import { HealthModule } from '../03-production/health.module.js';
import { HamsaAccount, hamsaAccountProvider } from '../shared/hamsa-account.js';
import { FleetRedis, fleetRedisProvider } from './redis.provider.js';

/**
 * Replicas that share one Hamsa account: its rate limit (`HAMSA_RATE_LIMIT_PER_SECOND`) and,
 * optionally, their preloads (`HAMSA_SHARE_PRELOADS_MS`) are coordinated through Redis.
 * `GET /health/ready` shows `"coordinator": "connected"`.
 */
@Module({
  imports: [
    HamsaVoiceModule.forRootAsync({
      isGlobal: true,
      provideInjectionTokensFrom: [hamsaAccountProvider, fleetRedisProvider],
      inject: [HamsaAccount, FleetRedis],
      useFactory: (account: HamsaAccount, redis: FleetRedis) => ({
        ...account.options,
        waitForReady: false,
        coordinator: new RedisHamsaCoordinator(redis.client, {
          keyPrefix: 'hamsa-sample:',
          rateLimitPerSecond: Number(process.env.HAMSA_RATE_LIMIT_PER_SECOND ?? 20),
          sharePreloadsForMs: Number(process.env.HAMSA_SHARE_PRELOADS_MS ?? 0),
        }),
      }),
    }),
    HealthModule,
  ],
  controllers: [VoicesController],
})
export class AppModule {}
