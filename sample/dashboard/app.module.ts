import { Module } from '@nestjs/common';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { VoicesController } from '../01-preload/voices.controller.js';
import { TtsModule } from '../02-tts/tts.module.js';
import { HamsaAccount, hamsaAccountProvider } from '../shared/hamsa-account.js';
import { DashboardController } from './dashboard.controller.js';
import { VoiceEventsController } from './voice-events.controller.js';

/** The page a newcomer opens first (`npm start`): 01's voices and 02's TTS, in a browser. */
@Module({
  imports: [
    HamsaVoiceModule.forRootAsync({
      isGlobal: true,
      provideInjectionTokensFrom: [hamsaAccountProvider],
      inject: [HamsaAccount],
      useFactory: (account: HamsaAccount) => ({
        ...account.options,
        // The port opens at once, and the page shows the voices becoming ready.
        waitForReady: false,
        onDemandPreload: false,
      }),
    }),
    TtsModule,
  ],
  controllers: [DashboardController, VoicesController, VoiceEventsController],
})
export class AppModule {}
