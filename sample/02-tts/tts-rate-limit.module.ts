import { Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TtsController } from './tts.controller.js';

/** TTS calls one client (IP address) may make per minute, unless `TTS_REQUESTS_PER_MINUTE` says otherwise. */
const DEFAULT_REQUESTS_PER_MINUTE = 30;

/**
 * `appModule` with `@nestjs/throttler` on its TTS routes (each one a billed Hamsa call): past the
 * limit, 429 with `Retry-After`. Other routes are not limited.
 *
 * It wraps `AppModule` in `main.ts` rather than being imported by it because the in-process tests
 * start `AppModule` under jest, which cannot load `@nestjs/throttler` 6 (CommonJS, requiring the
 * ESM-only NestJS 12) on Node 20; the tests that run each sample as a process check the limit.
 */
export function withTtsRateLimit(appModule: Type): Type {
  @Module({
    imports: [
      appModule,
      ThrottlerModule.forRootAsync({
        // Read when the app starts, not when this file is imported.
        useFactory: () => ({
          throttlers: [
            {
              ttl: 60_000,
              limit: Number(process.env.TTS_REQUESTS_PER_MINUTE ?? DEFAULT_REQUESTS_PER_MINUTE),
            },
          ],
          skipIf: (context) => context.getClass() !== TtsController,
        }),
      }),
    ],
    providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
  })
  class TtsRateLimitedModule {}
  return TtsRateLimitedModule;
}
