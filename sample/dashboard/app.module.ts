import { Module } from '@nestjs/common';
import { VoicesController } from '../01-preload/voices.controller.js';
import { TtsModule } from '../02-tts/tts.module.js';
import { hamsaVoiceModule } from '../shared/hamsa-voice-module.js';
import { DashboardController } from './dashboard.controller.js';
import { VoiceEventsController } from './voice-events.controller.js';

/** The page a newcomer opens first (`npm start`): 01's voices and 02's TTS, in a browser. */
@Module({
  imports: [
    // The port opens at once, and the page shows the voices becoming ready.
    hamsaVoiceModule({ waitForReady: false, onDemandPreload: false }),
    TtsModule,
  ],
  controllers: [DashboardController, VoicesController, VoiceEventsController],
})
export class AppModule {}
