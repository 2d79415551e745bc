import { type DynamicModule, Module } from '@nestjs/common';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from './hamsa-voice.constants.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  HAMSA_VOICE_MODULE_OPTIONS,
  OPTIONS_TYPE,
} from './hamsa-voice.module-definition.js';
import { HamsaCoordination } from './coordination/hamsa-coordination.js';
import { GATEWAY_HTTP_MODULE } from './gateway/gateway-http.module.js';
import { HamsaHttpClient } from './gateway/hamsa-http.client.js';
import { type HamsaVoiceModuleOptions } from './options/hamsa-voice-options.interface.js';
import { resolveOptions } from './options/resolve-options.js';
import { VoicePreloader } from './preload/voice-preloader.js';
import { VoiceRefresher } from './preload/voice-refresher.js';
import { VoiceReadinessService } from './readiness/voice-readiness.service.js';
import { VoiceStatusStore } from './state/voice-status.store.js';
import { HamsaTelemetry } from './telemetry/hamsa-telemetry.js';
import { HamsaTtsService } from './tts/hamsa-tts.service.js';
import { SpeakerReadiness } from './readiness/speaker-readiness.js';

/**
 * Preloads Hamsa cloned voices when the application starts and exports
 * `VoiceReadinessService`, which tells the rest of the app when each voice is ready.
 *
 * @example
 * // app.module.ts
 * imports: [
 *   HamsaVoiceModule.forRoot({
 *     apiKey: process.env.HAMSA_API_KEY!,
 *     voiceIds: ['48f7656f-098b-4c43-b165-7cfd2cc8ac30'],
 *   }),
 * ]
 */
@Module({
  imports: [GATEWAY_HTTP_MODULE],
  providers: [
    {
      provide: HAMSA_VOICE_RESOLVED_OPTIONS,
      useFactory: (options: HamsaVoiceModuleOptions) => resolveOptions(options),
      inject: [HAMSA_VOICE_MODULE_OPTIONS],
    },
    HamsaCoordination,
    HamsaHttpClient,
    VoiceStatusStore,
    HamsaTelemetry,
    VoicePreloader,
    VoiceRefresher,
    VoiceReadinessService,
    SpeakerReadiness,
    HamsaTtsService,
  ],
  exports: [VoiceReadinessService, HamsaTtsService],
})
export class HamsaVoiceModule extends ConfigurableModuleClass {
  /**
   * Registers the module with static options, validated here so that a mistake fails at once
   * with a `HamsaOptionsError` naming each bad option.
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    resolveOptions(options);
    return super.forRoot(options);
  }

  /**
   * Registers the module with options from a factory, class or existing provider (for example
   * `ConfigService`); they are validated when the factory resolves.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
