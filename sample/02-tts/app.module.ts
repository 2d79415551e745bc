import { Module } from '@nestjs/common';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { HamsaAccount, hamsaAccountProvider } from '../shared/hamsa-account.js';
import { TtsModule } from './tts.module.js';

@Module({
  imports: [
    HamsaVoiceModule.forRootAsync({
      isGlobal: true,
      provideInjectionTokensFrom: [hamsaAccountProvider],
      inject: [HamsaAccount],
      useFactory: (account: HamsaAccount) => ({
        ...account.options,
        // The port opens at once; POST /tts waits for its voice (up to deadlineMs).
        waitForReady: false,
        // POST /tts takes its speaker from the request: never preload a UUID a caller made up.
        onDemandPreload: false,
      }),
    }),
    TtsModule,
  ],
})
export class AppModule {}
