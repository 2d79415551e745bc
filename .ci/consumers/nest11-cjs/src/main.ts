// The same app started as a user starts it in production: compiled by the template's
// tsconfig.build.json, then `node dist/main.js`. It serves HTTP, closes, and must then exit on its
// own (no timer or socket of the library left open). The last line is JSON for the runner to check.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HamsaVoiceModule, VoiceReadinessService } from 'nestjs-hamsa';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';

async function bootstrap() {
  const server = await FakeHamsaServer.start();
  const voiceId = fakeVoiceId(1);

  @Module({
    imports: [
      HamsaVoiceModule.forRoot({ apiKey: server.apiKey, baseUrl: server.url, voiceIds: [voiceId] }),
    ],
  })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0);
  const ready = app.get(VoiceReadinessService).isReady(voiceId);
  await app.close();
  await server.close();
  console.log(
    JSON.stringify({
      ready,
      requests: server.requests.length,
      resolved: require.resolve('nestjs-hamsa'),
      nest: require('@nestjs/core/package.json').version,
    }),
  );
}
bootstrap();
