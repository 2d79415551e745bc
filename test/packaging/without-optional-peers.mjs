// An ESM user without @nestjs/terminus, @nestjs/websockets, @opentelemetry/api and ioredis (run with
// --import ./without-optional-peers.register.mjs): the main entry, guard and TTS included, works.
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HamsaTtsService, HamsaVoiceModule, RequireVoices } from 'nestjs-hamsa';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';

const server = await FakeHamsaServer.start();
const voiceId = fakeVoiceId(1);
class SpeechController {
  speak() {
    return { spoken: true };
  }
}
Get()(
  SpeechController.prototype,
  'speak',
  Object.getOwnPropertyDescriptor(SpeechController.prototype, 'speak'),
);
RequireVoices(voiceId)(SpeechController);
Controller('speech')(SpeechController);
class AppModule {}
Module({
  imports: [
    HamsaVoiceModule.forRoot({ apiKey: server.apiKey, baseUrl: server.url, voiceIds: [voiceId] }),
  ],
  controllers: [SpeechController],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const guarded = (await fetch(`${await app.getUrl()}/speech`)).status;
const wav = await app.get(HamsaTtsService).synthesize({ text: 'مرحبا', speaker: voiceId });
await app.close();
await server.close();
const terminus = await import('nestjs-hamsa/terminus').then(
  () => 'loaded',
  (error) => error.code,
);
const otel = await import('@opentelemetry/api').then(
  () => 'loaded',
  (error) => error.code,
);
const ioredis = await import('ioredis').then(
  () => 'loaded',
  (error) => error.code,
);
const spoken = wav.length > 44;
console.log(JSON.stringify({ format: 'esm', guarded, spoken, terminus, otel, ioredis }));
