// The dual-package hazard, on purpose: one process that loads the ESM copy (import) and the
// CommonJS copy (require) gets two sets of classes, and Nest's injection tokens do not match.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createRequire } from 'node:module';
import * as esmCopy from 'nestjs-hamsa';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';

const cjsCopy = createRequire(import.meta.url)('nestjs-hamsa');

const server = await FakeHamsaServer.start();
const voiceId = fakeVoiceId(3);
class AppModule {}
Module({
  imports: [
    esmCopy.HamsaVoiceModule.forRoot({
      apiKey: server.apiKey,
      baseUrl: server.url,
      voiceIds: [voiceId],
    }),
  ],
})(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
let otherCopyLookup = 'found';
try {
  app.get(cjsCopy.VoiceReadinessService);
} catch (error) {
  otherCopyLookup = error.constructor.name;
}
const ready = app.get(esmCopy.VoiceReadinessService).isReady(voiceId);
await app.close();
await server.close();
console.log(
  JSON.stringify({
    sameClass: esmCopy.VoiceReadinessService === cjsCopy.VoiceReadinessService,
    ready,
    otherCopyLookup,
    copiesInRequireCache: createRequire(import.meta.url)('./loaded-copies.cjs')(),
  }),
);
