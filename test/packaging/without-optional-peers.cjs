// A CommonJS user without @nestjs/terminus, @nestjs/websockets, @opentelemetry/api and ioredis (run with
// --require ./without-optional-peers.register.cjs): the main entry, guard and TTS included, works.
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { HamsaTtsService, HamsaVoiceModule, RequireVoices } = require('nestjs-hamsa');
const { FakeHamsaServer, fakeVoiceId } = require('nestjs-hamsa/testing');

async function main() {
  const server = await FakeHamsaServer.start();
  const voiceId = fakeVoiceId(2);
  class SpeechController {
    speak() {
      return { spoken: true };
    }
  }
  const { prototype } = SpeechController;
  Get()(prototype, 'speak', Object.getOwnPropertyDescriptor(prototype, 'speak'));
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
  let terminus = 'loaded';
  try {
    require('nestjs-hamsa/terminus');
  } catch (error) {
    terminus = error.code;
  }
  let otel = 'loaded';
  try {
    require('@opentelemetry/api');
  } catch (error) {
    otel = error.code;
  }
  let ioredis = 'loaded';
  try {
    require('ioredis');
  } catch (error) {
    ioredis = error.code;
  }
  const spoken = wav.length > 44;
  console.log(JSON.stringify({ format: 'cjs', guarded, spoken, terminus, otel, ioredis }));
}

main();
