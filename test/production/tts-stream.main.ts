import { NestFactory } from '@nestjs/core';
import { TtsStreamAppModule } from './tts-stream.app.js';

/**
 * `TtsStreamAppModule` as a process with shutdown hooks, as a deployment runs it: PORT,
 * HAMSA_BASE_URL, HAMSA_API_KEY, HAMSA_VOICE_IDS (commas) and SHUTDOWN_GRACE_MS from the
 * environment. Prints `listening` once it accepts requests.
 */
const env = process.env;
const app = await NestFactory.create(
  TtsStreamAppModule.with({
    apiKey: env.HAMSA_API_KEY ?? '',
    baseUrl: env.HAMSA_BASE_URL,
    voiceIds: env.HAMSA_VOICE_IDS ?? '',
    shutdownGraceMs: Number(env.SHUTDOWN_GRACE_MS),
  }),
  { logger: ['error', 'warn'] },
);
app.enableShutdownHooks();
await app.listen(Number(env.PORT), '127.0.0.1');
console.log('listening');
