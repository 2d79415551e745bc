// A CommonJS user of the built package (a NestJS 11 app compiled to CommonJS loads it this way).
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { HamsaVoiceModule, VoiceReadinessService } = require('nestjs-hamsa');
const { FakeHamsaServer, fakeVoiceId } = require('nestjs-hamsa/testing');

async function main() {
  const server = await FakeHamsaServer.start();
  const voiceId = fakeVoiceId(2);
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
      format: 'cjs',
      resolved: require.resolve('nestjs-hamsa'),
      nest: require('@nestjs/core/package.json').version,
      ready,
      requests: server.requests.length,
      copiesInRequireCache: require('./loaded-copies.cjs')(),
    }),
  );
}

main();
