// An ESM user of `nestjs-hamsa/terminus`: a readiness check of one preloaded voice, by package name.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { HamsaVoiceHealthIndicator } from 'nestjs-hamsa/terminus';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';

const server = await FakeHamsaServer.start();
const voiceId = fakeVoiceId(1);
class AppModule {}
Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    HamsaVoiceModule.forRoot({ apiKey: server.apiKey, baseUrl: server.url, voiceIds: [voiceId] }),
  ],
  providers: [HamsaVoiceHealthIndicator],
})(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
const indicator = app.get(HamsaVoiceHealthIndicator);
const result = await app.get(HealthCheckService).check([() => indicator.isHealthy()]);
await app.close();
await server.close();
console.log(
  JSON.stringify({ format: 'esm', health: result.status, requests: server.requests.length }),
);
