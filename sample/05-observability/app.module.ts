import { Module } from '@nestjs/common';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { VoicesController } from '../01-preload/voices.controller.js';
import { TtsModule } from '../02-tts/tts.module.js';
import { HamsaAccount, hamsaAccountProvider } from '../shared/hamsa-account.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.js';
import { Tracing } from './tracing.js';

/**
 * 01's and 02's routes, observed: `GET /metrics` for Prometheus, spans on stdout. Nest creates
 * every provider before any `onModuleInit`, so the global `MeterProvider` is in place when
 * `HamsaVoiceModule` takes its meter.
 */
@Module({
  imports: [
    HamsaVoiceModule.forRootAsync({
      isGlobal: true,
      provideInjectionTokensFrom: [hamsaAccountProvider],
      inject: [HamsaAccount],
      useFactory: (account: HamsaAccount) => ({
        ...account.options,
        waitForReady: false,
        onDemandPreload: false,
      }),
    }),
    TtsModule,
  ],
  controllers: [VoicesController, MetricsController],
  providers: [Metrics, Tracing],
})
export class AppModule {}
