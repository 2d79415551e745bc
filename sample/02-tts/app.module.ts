import { Module } from '@nestjs/common';
import { hamsaVoiceModule } from '../shared/hamsa-voice-module.js';
import { TtsModule } from './tts.module.js';

@Module({
  imports: [
    hamsaVoiceModule({
      // The port opens at once; POST /tts waits for its voice (up to deadlineMs).
      waitForReady: false,
      // POST /tts takes its speaker from the request: never preload a UUID a caller made up.
      onDemandPreload: false,
    }),
    TtsModule,
  ],
})
export class AppModule {}
