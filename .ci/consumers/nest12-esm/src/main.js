// The NestJS 12 app started with plain `node` (ESM `import`): it serves HTTP, closes, and must then
// exit on its own. Plain JavaScript, so decorators are applied as functions. The last line is JSON
// for the runner to check.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HamsaVoiceModule, VoiceReadinessService } from 'nestjs-hamsa';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';

const server = await FakeHamsaServer.start();
const voiceId = fakeVoiceId(1);

class AppModule {}
Module({
  imports: [
    HamsaVoiceModule.forRoot({ apiKey: server.apiKey, baseUrl: server.url, voiceIds: [voiceId] }),
  ],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0);
const ready = app.get(VoiceReadinessService).isReady(voiceId);
await app.close();
await server.close();
console.log(
  JSON.stringify({
    ready,
    requests: server.requests.length,
    resolved: import.meta.resolve('nestjs-hamsa'),
    nest: (await import('@nestjs/core/package.json', { with: { type: 'json' } })).default.version,
  }),
);
