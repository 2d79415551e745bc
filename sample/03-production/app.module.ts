import { Module } from '@nestjs/common';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { TtsModule } from '../02-tts/tts.module.js';
import { HamsaAccount, hamsaAccountProvider } from '../shared/hamsa-account.js';
import { HealthModule } from './health.module.js';
import { SpeechController } from './speech.controller.js';

/** 02-tts's routes, with the probes, the guard and the drain a Kubernetes deployment needs. */
@Module({
  imports: [
    HamsaVoiceModule.forRootAsync({
      isGlobal: true,
      provideInjectionTokensFrom: [hamsaAccountProvider],
      inject: [HamsaAccount],
      useFactory: (account: HamsaAccount) => ({
        ...account.options,
        // The port opens at once, and GET /health/ready tells when the voices are preloaded.
        waitForReady: false,
        onDemandPreload: false,
        refreshIntervalMs: Number(process.env.HAMSA_REFRESH_INTERVAL_MS ?? 0),
      }),
    }),
    TtsModule,
    HealthModule,
  ],
  controllers: [SpeechController],
})
export class AppModule {}
