// 40 voices preloaded 32 at a time, each following the signal of a rejected key: no warning of an
// EventTarget leak (Node warns once a signal has more than 10 listeners unless told otherwise).
import { Test } from '@nestjs/testing';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';

const warnings = [];
process.on('warning', (warning) => warnings.push(warning.name));
const server = await FakeHamsaServer.start({ latencyMs: 50 });
const voiceIds = Array.from({ length: 40 }, (_unused, index) => fakeVoiceId(index + 1));
const options = { apiKey: server.apiKey, baseUrl: server.url, voiceIds, concurrency: 32 };
const moduleRef = await Test.createTestingModule({
  imports: [HamsaVoiceModule.forRoot(options)],
}).compile();
moduleRef.useLogger(false);
await moduleRef.init();
await moduleRef.close();
await server.close();
await new Promise((resolve) => setImmediate(resolve));
console.log(JSON.stringify({ warnings }));
