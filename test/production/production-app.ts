import { Controller, Get } from '@nestjs/common';
import { type HealthIndicatorResult, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import {
  HamsaTtsService,
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  RequireVoices,
  VoiceReadinessService,
  type VoiceStatus,
} from '../../lib/index.js';
import { HamsaVoiceHealthIndicator } from '../../lib/terminus/index.js';
import { type FakeHamsaServer } from '../../lib/testing/index.js';
import { fakeOptions } from '../support/hamsa-app.js';
import { type HamsaHarness } from '../support/hamsa-harness.js';

/** A route guarded by `@RequireVoices()` without IDs: every voice the application depends on. */
@RequireVoices()
@Controller('speech')
class GuardedController {
  @Get()
  speak() {
    return { ok: true };
  }
}

/** A listening app with `HamsaVoiceModule`, the terminus indicator and a guarded route. */
export interface ProductionApp {
  readiness: VoiceReadinessService;
  tts: HamsaTtsService;
  /** The indicator's verdict over the voices the application depends on. */
  health(): Promise<HealthIndicatorResult<'hamsa-voices'>['hamsa-voices']>;
  /** Status code of `GET /speech`, the route behind `@RequireVoices()`. */
  guardedStatus(): Promise<number>;
}

/** Starts (and lets `harness` close) an app pointing at `server`, initialised and listening. */
export async function startProductionApp(
  harness: HamsaHarness,
  server: FakeHamsaServer,
  overrides: Partial<HamsaVoiceModuleOptions>,
): Promise<ProductionApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TerminusModule.forRoot({ logger: false }),
      HamsaVoiceModule.forRoot(fakeOptions(server, overrides)),
    ],
    controllers: [GuardedController],
    providers: [HamsaVoiceHealthIndicator],
  }).compile();
  const app = harness.track(moduleRef.createNestApplication({ logger: false }));
  await app.listen(0, '127.0.0.1');
  const url = `${await app.getUrl()}/speech`;
  const indicator = app.get(HamsaVoiceHealthIndicator);
  return {
    readiness: app.get(VoiceReadinessService),
    tts: app.get(HamsaTtsService),
    health: async () => (await indicator.isHealthy())['hamsa-voices'],
    guardedStatus: async () => (await fetch(url)).status,
  };
}

/** The on-demand voices among `statuses`. */
export function onDemand(statuses: VoiceStatus[]): VoiceStatus[] {
  return statuses.filter((status) => status.source === 'on-demand');
}

/** Preload requests the fake server received. */
export function preloadRequests(server: FakeHamsaServer) {
  return server.requests.filter((request) => request.path === '/v2/tts/voices/custom/preload');
}
