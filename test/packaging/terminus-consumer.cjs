// A CommonJS user of `nestjs-hamsa/terminus`: a readiness check of one preloaded voice.
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { HealthCheckService, TerminusModule } = require('@nestjs/terminus');
const { HamsaVoiceModule } = require('nestjs-hamsa');
const { HamsaVoiceHealthIndicator } = require('nestjs-hamsa/terminus');
const { FakeHamsaServer, fakeVoiceId } = require('nestjs-hamsa/testing');

async function main() {
  const server = await FakeHamsaServer.start();
  const voiceId = fakeVoiceId(2);
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
    JSON.stringify({ format: 'cjs', health: result.status, requests: server.requests.length }),
  );
}

main();
