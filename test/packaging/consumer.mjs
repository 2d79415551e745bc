// An ESM user of the built package: preloads one voice against the fake server, by package name.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
const ready = app.get(VoiceReadinessService).isReady(voiceId);
await app.close();
await server.close();
console.log(
  JSON.stringify({
    format: 'esm',
    resolved: fileURLToPath(import.meta.resolve('nestjs-hamsa')),
    nest: createRequire(import.meta.url)('@nestjs/core/package.json').version,
    ready,
    requests: server.requests.length,
    copiesInRequireCache: createRequire(import.meta.url)('./loaded-copies.cjs')(),
  }),
);
