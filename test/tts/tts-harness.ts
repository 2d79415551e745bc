import { HamsaTtsService, type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import {
  type FakeHamsaServer,
  type FakeHamsaServerOptions,
  fakeVoiceId,
} from '../../lib/testing/index.js';
import { type HamsaTestApp } from '../support/hamsa-app.js';
import { type HamsaHarness } from '../support/hamsa-harness.js';

/** The cloned voice the TTS tests preload. */
export const voice = fakeVoiceId(1);
export const text = 'مرحبا بك';

/** WebSocket handshakes the server received. */
export function handshakes(server: FakeHamsaServer): number {
  return server.requests.filter(
    (request) => request.path.split('?')[0] === HAMSA_ENDPOINTS.realtimeWs,
  ).length;
}

/** Reads a stream of audio to its end, as one buffer. */
export async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}

/**
 * Starts a fake server (1 s cold start unless `serverOptions` say otherwise) and an app
 * preloading `voice` (unless `overrides` say otherwise), both closed by `harness`.
 */
export async function startTts(
  harness: HamsaHarness,
  serverOptions: FakeHamsaServerOptions = {},
  overrides: Partial<HamsaVoiceModuleOptions> = {},
): Promise<{ server: FakeHamsaServer; app: HamsaTestApp; tts: HamsaTtsService }> {
  const server = await harness.server({ coldStartMs: 1000, ...serverOptions });
  const app = await harness.start(server, { voiceIds: [voice], ...overrides });
  return { server, app, tts: app.moduleRef.get(HamsaTtsService) };
}

/** `startTts()`, then a WebSocket session opened on the app's `HamsaTtsService`. */
export async function openTtsSession(
  harness: HamsaHarness,
  serverOptions?: FakeHamsaServerOptions,
  overrides?: Partial<HamsaVoiceModuleOptions>,
) {
  const started = await startTts(harness, serverOptions, overrides);
  return { ...started, session: await started.tts.openSession() };
}

/** Reads `chunks` until they fail: the error and the bytes received before it. */
export async function readUntilFailure(
  chunks: AsyncIterable<Buffer>,
): Promise<{ error: unknown; bytes: number }> {
  let bytes = 0;
  try {
    for await (const chunk of chunks) bytes += chunk.length;
  } catch (error) {
    return { error, bytes };
  }
  throw new Error(`expected the audio to fail, but it ended normally after ${bytes} bytes`);
}
