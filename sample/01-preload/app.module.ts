import { Module } from '@nestjs/common';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { HamsaAccount, hamsaAccountProvider } from '../shared/hamsa-account.js';
import { VoicesController } from './voices.controller.js';

/** Preloads the voices at startup; `listen()` returns once they are ready. */
@Module({
  imports: [
    HamsaVoiceModule.forRootAsync({
      isGlobal: true,
      provideInjectionTokensFrom: [hamsaAccountProvider],
      inject: [HamsaAccount],
      useFactory: (account: HamsaAccount) => ({ ...account.options, waitForReady: true }),
    }),
  ],
  controllers: [VoicesController],
})
export class AppModule {}
