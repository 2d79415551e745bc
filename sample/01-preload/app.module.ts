import { Module } from '@nestjs/common';
import { hamsaVoiceModule } from '../shared/hamsa-voice-module.js';
import { VoicesController } from './voices.controller.js';

/** Preloads the voices at startup; `listen()` returns once they are ready. */
@Module({
  imports: [hamsaVoiceModule({ waitForReady: true })],
  controllers: [VoicesController],
})
export class AppModule {}
