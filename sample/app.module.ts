import { Logger, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { HamsaVoiceModule, type HamsaVoiceModuleOptions } from '../lib/index.js';
import { HamsaVoiceHealthIndicator } from '../lib/terminus/index.js';
import { fakeVoiceId } from '../lib/testing/index.js';
import { DashboardController } from './dashboard.controller.js';
import { EmbeddedHamsa, embeddedHamsaProvider } from './embedded-hamsa.provider.js';
import { FleetRedis, fleetRedisProvider } from './fleet-redis.provider.js';
import { HealthCheckLogger } from './health-check.logger.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { SpeechController } from './speech.controller.js';
import { Telemetry } from './telemetry.js';
import { TtsController } from './tts.controller.js';
import { validationProvider } from './validation.provider.js';
import { VoicesController } from './voices.controller.js';

/**
 * After SIGTERM, how long the server keeps answering (readiness already 503) before it closes,
 * so that load balancers stop sending traffic first. Keep it below the pod's
 * `terminationGracePeriodSeconds`.
 */
const DEFAULT_SHUTDOWN_DELAY_MS = 5_000;

const logger = new Logger('Sample');

/** Builds the module's options from the environment, or points it at the embedded fake server. */
function hamsaOptions(
  config: ConfigService,
  embedded: EmbeddedHamsa,
  redis: FleetRedis,
): HamsaVoiceModuleOptions {
  // One string of IDs (commas and/or spaces), as the module takes it; unset or blank: fake IDs.
  const voiceIds = config.get<string>('HAMSA_VOICE_IDS')?.trim() || [1, 2, 3].map(fakeVoiceId);
  // Background preload: the port opens at once and GET /voices shows voices becoming ready.
  const common = {
    voiceIds,
    waitForReady: false,
    // POST /tts takes its speaker from the request: never preload a UUID a caller made up.
    onDemandPreload: false,
    refreshIntervalMs: Number(config.get<string>('HAMSA_REFRESH_INTERVAL_MS') ?? 0),
    coordinator: redis.coordinator(config),
  };
  if (redis.client) logger.log('Replicas coordinate through Redis (REDIS_URL)');

  if (embedded.server) {
    logger.log(`Hamsa: embedded fake server at ${embedded.server.url} (HAMSA_API_KEY not set)`);
    return { ...common, baseUrl: embedded.server.url, apiKey: embedded.server.apiKey };
  }
  const baseUrl = config.get<string>('HAMSA_BASE_URL');
  logger.log(`Hamsa: real API at ${baseUrl ?? 'the default base URL'} (key from HAMSA_API_KEY)`);
  if (!config.get<string>('HAMSA_VOICE_IDS')) {
    logger.warn(
      'HAMSA_VOICE_IDS is not set: preloading placeholder voices that Hamsa will not know',
    );
  }
  return { ...common, apiKey: config.getOrThrow<string>('HAMSA_API_KEY'), baseUrl };
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    HamsaVoiceModule.forRootAsync({
      inject: [ConfigService, EmbeddedHamsa, FleetRedis],
      // Registers these inside the module that injects them, so no extra module is needed.
      provideInjectionTokensFrom: [embeddedHamsaProvider, fleetRedisProvider],
      useFactory: hamsaOptions,
    }),
    TerminusModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        // Without the error line terminus writes for every failing probe (see HealthCheckLogger).
        logger: new HealthCheckLogger(),
        // Waits on SIGTERM only (not on Ctrl-C), between readiness turning 503 and the server closing.
        gracefulShutdownTimeoutMs: Number(
          config.get<string>('SHUTDOWN_DELAY_MS') ?? DEFAULT_SHUTDOWN_DELAY_MS,
        ),
      }),
    }),
  ],
  controllers: [
    DashboardController,
    VoicesController,
    HealthController,
    SpeechController,
    TtsController,
    MetricsController,
  ],
  // Nest creates every provider before any onModuleInit: Telemetry's global MeterProvider is in
  // place when HamsaVoiceModule takes its meter.
  providers: [HamsaVoiceHealthIndicator, Telemetry, validationProvider],
})
export class AppModule {}
