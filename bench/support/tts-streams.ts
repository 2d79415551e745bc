import { type INestApplication } from '@nestjs/common';
import {
  HamsaTtsService,
  type HamsaVoiceModuleOptions,
  VoiceReadinessService,
} from '../../lib/index.js';
import { fakeSpeech, type FakeHamsaServerOptions } from '../../lib/testing/index.js';
import { createBenchApp } from './bench-app.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

/** 100 ms of the fake's 16 kHz 16-bit mono PCM. */
const CHUNK_MS = 100;
const CHUNK_BYTES = 3_200;

/**
 * Fake server settings under which a stream arrives as Hamsa speaks it, in real time: one chunk
 * of 100 ms of audio every 100 ms, so that a stream of `seconds` of speech lasts that long.
 */
export const REAL_TIME_STREAMS: FakeHamsaServerOptions = {
  ttsChunkSizes: [CHUNK_BYTES],
  ttsChunkIntervalMs: CHUNK_MS,
};

/** Arabic text of which the fake speaks `seconds` of audio (100 ms + 10 ms per character). */
export function speechText(seconds: number): string {
  const length = Math.max(1, Math.round((seconds - 0.1) / 0.01));
  return 'مرحبا بك في همسة، '.repeat(Math.ceil(length / 18)).slice(0, length);
}

/** The bytes the fake streams for `text`. */
export function speechBytes(text: string): number {
  return fakeSpeech(text).length;
}

/** Reads a stream to its end; resolves with its byte count. */
export async function drain(stream: AsyncIterable<Buffer>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.length;
  return bytes;
}

/** A started app with the module, and the services the TTS sections use. */
export interface TtsApp {
  app: INestApplication;
  tts: HamsaTtsService;
  readiness: VoiceReadinessService;
}

/**
 * Starts (`init()`, which preloads `voiceIds`) an app whose module talks to `server`, with
 * `options` over the defaults. Close `app` when done.
 */
export async function startTtsApp(
  server: RemoteFakeServer,
  voiceIds: string[],
  options: Partial<HamsaVoiceModuleOptions> = {},
): Promise<TtsApp> {
  const app = await createBenchApp({
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds,
    ...options,
  });
  await app.init();
  return { app, tts: app.get(HamsaTtsService), readiness: app.get(VoiceReadinessService) };
}
