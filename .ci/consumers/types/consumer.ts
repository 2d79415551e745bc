// Code a user writes against the three entry points; it must type-check, and the deliberate
// mistakes must be errors (so a broken or `any`-typed resolution cannot pass).
// run.js copies this file into cjs/, esm/ and bundler/: only its folder and tsconfig differ.
import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import {
  HamsaVoiceModule,
  VoiceReadinessService,
  type HamsaVoiceModuleOptions,
  type VoiceState,
} from 'nestjs-hamsa';
import { HamsaVoiceHealthIndicator } from 'nestjs-hamsa/terminus';
import { FakeHamsaServer, fakeVoiceId, type RecordedRequest } from 'nestjs-hamsa/testing';

const options: HamsaVoiceModuleOptions = {
  apiKey: 'key',
  voiceIds: [fakeVoiceId(1)],
  waitForReady: false,
};

// @ts-expect-error concurrency is a number
const wrong: HamsaVoiceModuleOptions = { apiKey: 'key', voiceIds: [], concurrency: 'four' };

@Controller()
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly voices: HamsaVoiceHealthIndicator,
    private readonly readiness: VoiceReadinessService,
  ) {}

  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.voices.isHealthy('voices', { allowPartial: true })]);
  }

  async speak(voiceId: string): Promise<VoiceState | undefined> {
    await this.readiness.whenReady(voiceId, { timeoutMs: 5_000 });
    // @ts-expect-error isReady answers a boolean
    const state: VoiceState = this.readiness.isReady(voiceId);
    return state;
  }
}

@Module({
  imports: [TerminusModule, HamsaVoiceModule.forRoot(options)],
  controllers: [HealthController],
  providers: [HamsaVoiceHealthIndicator],
})
export class AppModule {}

export async function firstRequest(): Promise<RecordedRequest | undefined> {
  const server = await FakeHamsaServer.start();
  await server.close();
  return server.requests[0] ?? (wrong ? undefined : undefined);
}
