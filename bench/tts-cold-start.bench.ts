// `npm run bench`: first real-time TTS call latency with a cold voice vs a preloaded one, side by
// side in one run against the fake Hamsa server (cold-voice penalty `coldStartMs`).
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HamsaTtsService, HamsaVoiceModule } from '../lib/index.js';
import { FakeHamsaServer, fakeVoiceId } from '../lib/testing/index.js';

const COLD_START_MS = 300;
const ROUNDS = 5;
const TEXT = 'مرحبا بك في همسة';

// A preload takes as long as the model load it performs, so on-demand preloading is not free.
const server = await FakeHamsaServer.start({
  coldStartMs: COLD_START_MS,
  latencyMs: COLD_START_MS,
});
const preloaded = Array.from({ length: 2 * ROUNDS }, (_, i) => fakeVoiceId(100 + i));

@Module({
  imports: [
    HamsaVoiceModule.forRoot({ apiKey: server.apiKey, baseUrl: server.url, voiceIds: preloaded }),
  ],
})
class BenchModule {}

const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
const tts = app.get(HamsaTtsService);

/** One first TTS call straight to the endpoint, as code without this module would make it. */
async function rawCall(speaker: string): Promise<number> {
  const startedAt = performance.now();
  const response = await fetch(`${server.url}/v1/realtime/tts`, {
    method: 'POST',
    headers: { authorization: `Token ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: TEXT, speaker }),
  });
  await response.arrayBuffer();
  return performance.now() - startedAt;
}

async function serviceCall(speaker: string): Promise<number> {
  const startedAt = performance.now();
  await tts.synthesize({ text: TEXT, speaker });
  return performance.now() - startedAt;
}

const cold: number[] = [];
const warm: number[] = [];
const service: number[] = [];
const onDemand: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, so that every kind of call sees the same machine load.
  cold.push(await rawCall(fakeVoiceId(200 + round)));
  warm.push(await rawCall(preloaded[round]));
  service.push(await serviceCall(preloaded[ROUNDS + round]));
  onDemand.push(await serviceCall(fakeVoiceId(300 + round)));
}
await app.close();
await server.close();

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
console.log(
  `fake Hamsa, coldStartMs = preload latency = ${COLD_START_MS} ms; medians of ${ROUNDS} first calls per voice:`,
);
console.log(`  raw POST, cold voice (never preloaded)          ${ms(median(cold))}`);
console.log(`  raw POST, voice preloaded at startup            ${ms(median(warm))}`);
console.log(`  synthesize(), voice preloaded at startup        ${ms(median(service))}`);
console.log(`  synthesize(), unconfigured: preloaded on demand ${ms(median(onDemand))}`);
console.log(
  `first TTS call latency, cold vs preloaded: ${(median(cold) / median(warm)).toFixed(1)}x`,
);
