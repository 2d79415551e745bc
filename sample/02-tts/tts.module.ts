import { Module } from '@nestjs/common';
import { TtsConcurrencyGuard } from './tts-concurrency.guard.js';
import { TtsController } from './tts.controller.js';
import { validationProvider } from './validation.provider.js';

/**
 * `POST /tts` and `GET /tts/stream`, for an app that imports `HamsaVoiceModule` with
 * `isGlobal: true`; the dashboard, 03-production and 05-observability import it too.
 */
@Module({
  controllers: [TtsController],
  providers: [TtsConcurrencyGuard, validationProvider],
})
export class TtsModule {}
