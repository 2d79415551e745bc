import { describe, expect, it } from '@jest/globals';
import { HamsaTtsService } from '../../lib/index.js';
import { HamsaServerError } from '../../lib/errors/hamsa-api.error.js';
import { HamsaError } from '../../lib/errors/hamsa.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../../lib/errors/hamsa-transport.error.js';
import { ttsRetryReason } from '../../lib/telemetry/tts-retry-reason.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { freePort } from '../support/free-port.js';
import { rejectionOf, useHamsaHarness } from '../support/hamsa-harness.js';
import { collect, text } from '../tts/tts-harness.js';
import { points, useOtelSdk } from './otel-sdk.js';

const voiceA = fakeVoiceId(1);

describe('the hamsa.tts.retries counter', () => {
  const harness = useHamsaHarness();
  const otel = useOtelSdk();

  /** The counter's points, as `[transport, reason, count]`. */
  async function retries(): Promise<[unknown, unknown, unknown][]> {
    const recorded = await otel.metrics();
    return points(recorded.get('hamsa.tts.retries')).map((point) => [
      point.attributes['hamsa.tts.transport'],
      point.attributes['hamsa.tts.retry.reason'],
      point.value,
    ]);
  }

  it('counts a REST and a stream call answered 503, then audio: one retry each, reason status', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA], retries: 2 });
    const tts = app.moduleRef.get(HamsaTtsService);
    server.scriptTts(voiceA, { status: 503 });
    await tts.synthesize({ text, speaker: voiceA });
    server.scriptTts(voiceA, { status: 503 });
    await collect(tts.stream({ text, speaker: voiceA }));

    expect(server.ttsCalls).toHaveLength(4);
    expect(await retries()).toEqual(
      expect.arrayContaining([
        ['rest', 'status', 1],
        ['stream', 'status', 1],
      ]),
    );
    expect(await retries()).toHaveLength(2);
  });

  it('counts nothing for a call that needed no retry', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA] });
    await app.moduleRef.get(HamsaTtsService).synthesize({ text, speaker: voiceA });

    expect(await retries()).toEqual([]);
  });

  it('counts WebSocket openings refused by a closed port, reason connection', async () => {
    const server = await harness.server();
    const closedPort = await freePort();
    const app = await harness.start(server, {
      baseUrl: `http://127.0.0.1:${closedPort}`,
      retries: 2,
    });

    const error = await rejectionOf(app.moduleRef.get(HamsaTtsService).openSession());

    expect(error).toBeInstanceOf(HamsaConnectionError);
    expect(await retries()).toEqual([['websocket', 'connection', 2]]);
  });

  it('names the reason of each retryable failure', () => {
    const empty = Object.assign(new HamsaError('no audio', { retryable: true }), {
      name: 'HamsaEmptyAudioError',
    });
    const timeout = new HamsaTimeoutError('silent', { timeoutMs: 10 });
    const refused = new HamsaConnectionError('refused', { code: 'ECONNREFUSED' });
    const unavailable = new HamsaServerError({ status: 503, message: 'unavailable' });

    expect([empty, timeout, refused, unavailable].map(ttsRetryReason)).toEqual([
      'empty_audio',
      'timeout',
      'connection',
      'status',
    ]);
  });
});
