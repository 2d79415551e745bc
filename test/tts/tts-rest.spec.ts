import { describe, expect, it } from '@jest/globals';
import {
  HamsaAuthenticationError,
  HamsaConnectionError,
  HamsaRateLimitError,
  HamsaServerError,
  HamsaTimeoutError,
  HamsaTtsRequestError,
  HamsaTtsService,
  type HamsaVoiceModuleOptions,
  VoiceNotReadyError,
  VoicePreloadFailedError,
} from '../../lib/index.js';
import { type FakeHamsaServerOptions, fakeSpeech, fakeVoiceId } from '../../lib/testing/index.js';
import { rejectionOf, useHamsaHarness, waitFor } from '../support/hamsa-harness.js';
import { collect, startTts, text, voice } from './tts-harness.js';
import { parseWav } from './wav-parse.js';

describe('HamsaTtsService over REST', () => {
  const harness = useHamsaHarness();

  const start = (
    serverOptions?: FakeHamsaServerOptions,
    overrides?: Partial<HamsaVoiceModuleOptions>,
  ) => startTts(harness, serverOptions, overrides);

  describe('synthesize', () => {
    it('returns the WAV file, header and audio', async () => {
      const { server, tts } = await start();

      const wav = await tts.synthesize({ text, speaker: voice, dialect: 'ksa' });

      const parsed = parseWav(wav);
      expect(parsed).toMatchObject({ sampleRate: 16000, bits: 16, dataSize: parsed.data.length });
      expect(parsed.data.equals(fakeSpeech(text))).toBe(true);
      expect(server.ttsCalls).toEqual([
        expect.objectContaining({ transport: 'rest', speaker: voice, coldStartMs: 0 }),
      ]);
      const request = server.requests.at(-1)!;
      expect(request.headers.authorization).toBe(`Token ${server.apiKey}`);
      expect(JSON.parse(request.body)).toEqual({ text, speaker: voice, dialect: 'ksa' });
    });

    it('uses a built-in speaker without any preload', async () => {
      const { server, tts } = await start({}, { voiceIds: [] });

      await tts.synthesize({ text, speaker: 'Amjad' });

      expect(server.requests.map((request) => request.path)).toEqual(['/v1/realtime/tts']);
    });

    it('fails when the answer is not a WAV file', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { status: 200, body: 'plain text' });

      const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

      expect((error as Error).message).toMatch(/not with a WAV file/);
    });

    it('maps error answers to the core errors, without retrying a 500', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { status: 500, body: { message: 'boom' } });

      const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

      expect(error).toBeInstanceOf(HamsaServerError);
      expect(error).toMatchObject({ status: 500, voiceId: voice });
      expect(server.ttsCalls).toHaveLength(1);
    });

    it('rejects a wrong API key as HamsaAuthenticationError', async () => {
      const server = await harness.server();
      const app = await harness.start(server, { apiKey: 'wrong-key' });
      const tts = app.moduleRef.get(HamsaTtsService);

      const error = await rejectionOf(tts.synthesize({ text, speaker: 'Amjad' }));

      expect(error).toBeInstanceOf(HamsaAuthenticationError);
    });
  });

  describe('request validation', () => {
    it('rejects 2001 characters before any I/O', async () => {
      const { server, tts } = await start();
      const before = server.requests.length;

      const error = await rejectionOf(tts.synthesize({ text: 'ا'.repeat(2001), speaker: voice }));

      expect(error).toBeInstanceOf(HamsaTtsRequestError);
      expect((error as HamsaTtsRequestError).problems).toEqual([
        'text must be a string of 1–2000 characters, got 2001 characters',
      ]);
      expect(server.requests).toHaveLength(before);
    });

    it('throws at once from stream(), streamWav() for an empty text, a bad dialect, no speaker', async () => {
      const { server, tts } = await start();
      const bad = { text: '', speaker: ' ', dialect: 'modern' } as never;

      for (const call of [() => tts.stream(bad), () => tts.streamWav(bad)]) {
        expect(call).toThrow(HamsaTtsRequestError);
      }
      expect(() => tts.stream(bad)).toThrow(
        /text must.*\n.*speaker must.*\n.*dialect must be one of pls/,
      );
      expect(server.ttsCalls).toHaveLength(0);
    });

    it('says blank text is blank, not a matter of length', async () => {
      const { tts } = await start();

      const error = await rejectionOf(tts.synthesize({ text: ' \n ', speaker: voice }));

      expect((error as HamsaTtsRequestError).problems).toEqual([
        'text must not be blank (got 3 whitespace characters)',
      ]);
    });

    it('accepts text of exactly 2000 characters', async () => {
      const { tts } = await start();

      const wav = await tts.synthesize({ text: 'ا'.repeat(2000), speaker: 'Layan' });

      expect(parseWav(wav).data).toHaveLength(fakeSpeech('ا'.repeat(2000)).length);
    });
  });

  describe('readiness first', () => {
    it('waits for a voice that is still loading, then succeeds', async () => {
      const server = await harness.server({ latencyMs: 300 });
      const app = await harness.start(server, { voiceIds: [voice], waitForReady: false });
      const tts = app.moduleRef.get(HamsaTtsService);
      expect(app.readiness.getStatus(voice)?.state).toBe('loading');

      const wav = await tts.synthesize({ text, speaker: voice });

      expect(parseWav(wav).data.equals(fakeSpeech(text))).toBe(true);
      const preload = server.requestsFor(voice)[0];
      expect(server.ttsCalls[0].receivedAt).toBeGreaterThanOrEqual(preload.receivedAt + 250);
      expect(server.ttsCalls[0].coldStartMs).toBe(0);
    });

    it('preloads a cloned voice it was not configured with, so the call pays no cold start', async () => {
      const { server, tts } = await start({ coldStartMs: 1500 }, { voiceIds: [] });
      const cold = fakeVoiceId(42);

      const startedAt = Date.now();
      await tts.synthesize({ text, speaker: cold });
      const elapsedMs = Date.now() - startedAt;

      expect(server.requests.map((request) => request.path)).toEqual([
        '/v2/tts/voices/custom/preload',
        '/v1/realtime/tts',
      ]);
      expect(server.requestsFor(cold)).toHaveLength(1);
      expect(server.ttsCalls[0]).toMatchObject({ speaker: cold, coldStartMs: 0 });
      expect(elapsedMs).toBeLessThan(1500);
    });

    it('pays the cold start when a cloned voice is used without preloading (the fake server)', async () => {
      const server = await harness.server({ coldStartMs: 400 });
      const cold = fakeVoiceId(43);
      const body = JSON.stringify({ text, speaker: cold });
      const headers = {
        authorization: `Token ${server.apiKey}`,
        'content-type': 'application/json',
      };

      const startedAt = Date.now();
      await fetch(`${server.url}/v1/realtime/tts`, { method: 'POST', headers, body });
      const coldMs = Date.now() - startedAt;
      const again = Date.now();
      await fetch(`${server.url}/v1/realtime/tts`, { method: 'POST', headers, body });
      const warmMs = Date.now() - again;

      expect(server.ttsCalls.map((call) => call.coldStartMs)).toEqual([400, 0]);
      expect(coldMs).toBeGreaterThanOrEqual(390);
      expect(warmMs).toBeLessThan(coldMs);
    });

    it('fails with VoicePreloadFailedError before any TTS request when the voice failed', async () => {
      const server = await harness.server();
      server.script(voice, { status: 404 });
      const app = await harness.start(server, {
        voiceIds: [voice],
        waitForReady: false,
        failOnError: false,
      });
      const tts = app.moduleRef.get(HamsaTtsService);

      const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

      expect(error).toBeInstanceOf(VoicePreloadFailedError);
      expect(server.ttsCalls).toHaveLength(0);
    });

    it('gives up after voiceTimeoutMs with VoiceNotReadyError', async () => {
      const server = await harness.server();
      server.script(voice, { hang: true });
      const app = await harness.start(server, { voiceIds: [voice], waitForReady: false });
      const tts = app.moduleRef.get(HamsaTtsService);

      const error = await rejectionOf(
        tts.synthesize({ text, speaker: voice }, { voiceTimeoutMs: 50 }),
      );

      expect(error).toBeInstanceOf(VoiceNotReadyError);
      expect(error).toMatchObject({ reason: 'timeout' });
      expect(server.ttsCalls).toHaveLength(0);
    });
  });

  describe('retries', () => {
    it('retries a 503 and a 429 with Retry-After, which never started', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { status: 503 }, { status: 429, headers: { 'Retry-After': '0' } });

      await tts.synthesize({ text, speaker: voice });

      expect(server.ttsCalls).toHaveLength(3);
    });

    it('does not retry a 429 without Retry-After, nor a 500', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { status: 429 });

      const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

      expect(error).toBeInstanceOf(HamsaRateLimitError);
      expect(server.ttsCalls).toHaveLength(1);
    });

    it('does not wait for a Retry-After longer than maxRetryDelayMs', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { status: 429, headers: { 'Retry-After': '60' } });

      const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

      expect(error).toMatchObject({ name: 'HamsaRateLimitError', retryAfterMs: 60_000 });
      expect(server.ttsCalls).toHaveLength(1);
    });

    it('does not count a retry backoff as Hamsa being silent', async () => {
      // The wait (600–700 ms) is longer than requestTimeoutMs (400 ms), which bounds silences only.
      const { server, tts } = await start(
        {},
        { requestTimeoutMs: 400, retryDelayMs: 100, maxRetryDelayMs: 1_000 },
      );
      server.scriptTts(voice, { status: 429, headers: { 'Retry-After': '0.6' } });

      await tts.synthesize({ text, speaker: voice });

      expect(server.ttsCalls).toHaveLength(2);
    });

    it('stops after `retries`', async () => {
      const { server, tts } = await start({}, { retries: 1 });
      server.scriptTts(voice, { status: 503 }, { status: 503 }, { status: 503 });

      const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

      expect(error).toBeInstanceOf(HamsaServerError);
      expect(server.ttsCalls).toHaveLength(2);
    });

    it('retries a refused connection', async () => {
      const closed = await harness.server();
      const unreachable = closed.url;
      await closed.close();
      const server = await harness.server();
      const app = await harness.start(server, { baseUrl: unreachable, retries: 2 });
      const tts = app.moduleRef.get(HamsaTtsService);

      const error = await rejectionOf(tts.synthesize({ text, speaker: 'Amjad' }));

      expect(error).toBeInstanceOf(HamsaConnectionError);
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect(app.logger.messages('warn')).toEqual([
        expect.stringMatching(/attempt 1 failed \(HamsaConnectionError/),
        expect.stringMatching(/attempt 2 failed \(HamsaConnectionError/),
      ]);
    });

    it('never retries after audio arrived', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { cutAfterBytes: 5000 });

      const error = await rejectionOf(collect(tts.stream({ text, speaker: voice })));

      expect(error).toBeInstanceOf(HamsaConnectionError);
      expect((error as Error).message).toMatch(/broke off after 5000 bytes/);
      expect(server.ttsCalls).toHaveLength(1);
    });
  });

  describe('stream', () => {
    it('yields the bare PCM as it arrives', async () => {
      const { server, tts } = await start({ ttsChunkIntervalMs: 2 });

      const chunks: Buffer[] = [];
      for await (const chunk of tts.stream({ text, speaker: voice })) chunks.push(chunk);

      expect(Buffer.concat(chunks).equals(fakeSpeech(text))).toBe(true);
      expect(chunks.length).toBeGreaterThan(1);
      expect(server.ttsCalls).toEqual([expect.objectContaining({ transport: 'stream' })]);
    });

    it('fails on a 200 that carries JSON instead of audio', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { status: 200, body: { success: false, message: 'no credit' } });

      const error = await rejectionOf(collect(tts.stream({ text, speaker: voice })));

      expect(error).toMatchObject({ name: 'HamsaApiError', status: 200 });
      expect((error as Error).message).toContain('no credit');
    });

    it('as a Readable', async () => {
      const { tts } = await start();

      const audio = await collect(tts.streamReadable({ text, speaker: 'Amjad', mulaw: true }));

      expect(audio.equals(fakeSpeech(text, true))).toBe(true);
    });

    it.each([
      ['bare PCM', false],
      ['a RIFF-prefixed stream', true],
    ])('streamWav turns %s in odd chunks into a valid WAV', async (_label, ttsStreamHeader) => {
      const { tts } = await start({
        ttsStreamHeader,
        ttsChunkSizes: [3, 7, 5, 13, 1001],
        ttsChunkIntervalMs: 1,
      });

      const wav = await collect(tts.streamWav({ text, speaker: voice }));

      const parsed = parseWav(wav);
      expect(parsed).toMatchObject({ audioFormat: 1, sampleRate: 16000, dataSize: 0xffffffff });
      expect(wav.subarray(0, 4).toString()).toBe('RIFF');
      expect(parsed.data.equals(fakeSpeech(text))).toBe(true);
    });

    it('streamWav of a µ-law stream has an 8 kHz µ-law header', async () => {
      const { tts } = await start();

      const parsed = parseWav(await collect(tts.streamWav({ text, speaker: voice, mulaw: true })));

      expect(parsed).toMatchObject({ audioFormat: 7, sampleRate: 8000, bits: 8 });
      expect(parsed.data.equals(fakeSpeech(text, true))).toBe(true);
    });

    it('releases the socket when aborted mid-stream', async () => {
      const { server, tts } = await start({ ttsChunkSizes: [1000], ttsChunkIntervalMs: 20 });
      const controller = new AbortController();
      let received = 0;

      const error = await rejectionOf(
        (async () => {
          for await (const chunk of tts.stream(
            { text, speaker: voice },
            { signal: controller.signal },
          )) {
            received += chunk.length;
            if (received >= 2000) controller.abort();
          }
        })(),
      );

      expect(error).toMatchObject({ name: 'AbortError' });
      expect(received).toBeLessThan(fakeSpeech(text).length);
      await waitFor(() => server.inFlight === 0, 'the server saw the connection close');
    });

    it('releases the socket when the consumer stops early', async () => {
      const { server, tts } = await start({ ttsChunkSizes: [1000], ttsChunkIntervalMs: 20 });

      for await (const _chunk of tts.stream({ text, speaker: voice })) break;

      await waitFor(() => server.inFlight === 0, 'the server saw the connection close');
    });

    it('rejects with the abort reason when aborted while the voice loads', async () => {
      const server = await harness.server();
      server.script(voice, { hang: true });
      const app = await harness.start(server, { voiceIds: [voice], waitForReady: false });
      const tts = app.moduleRef.get(HamsaTtsService);
      const reason = new Error('user left');

      const error = await rejectionOf(
        tts.synthesize({ text, speaker: voice }, { signal: AbortSignal.abort(reason) }),
      );

      expect(error).toBe(reason);
      expect(server.ttsCalls).toHaveLength(0);
    });

    it('counts audio held back until minAudioMs as Hamsa speaking, not as its silence', async () => {
      // 20 bytes every 40 ms: the first 10 ms of audio (320 bytes) take about 640 ms to come,
      // more than twice requestTimeoutMs, though Hamsa is never silent for as long.
      const trickle = { coldStartMs: 0, ttsChunkSizes: [20], ttsChunkIntervalMs: 40 };
      const { server, tts } = await start(trickle, {
        requestTimeoutMs: 300,
        tts: { minAudioMs: 10 },
      });
      const speaker = 'Amjad';

      const audio = tts.stream({ text: 'م', speaker })[Symbol.asyncIterator]();
      const first = await audio.next();
      await audio.return?.(undefined);

      expect(first.done).toBe(false);
      expect(first.value?.length).toBeGreaterThanOrEqual(320);
      expect(server.ttsCalls).toHaveLength(1);
    });

    it('fails with HamsaTimeoutError when Hamsa goes silent for requestTimeoutMs', async () => {
      const { server, tts } = await start({}, { requestTimeoutMs: 200 });
      server.scriptTts(voice, { hang: true });

      const error = await rejectionOf(collect(tts.stream({ text, speaker: voice })));

      expect(error).toBeInstanceOf(HamsaTimeoutError);
      await waitFor(() => server.inFlight === 0, 'the server saw the connection close');
    });
  });
});
