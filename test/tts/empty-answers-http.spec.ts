import { describe, expect, it } from '@jest/globals';
import {
  HamsaConnectionError,
  HamsaEmptyAudioError,
  HamsaMalformedAudioError,
  type HamsaTtsRequest,
  type HamsaTtsService,
  type HamsaVoiceModuleOptions,
} from '../../lib/index.js';
import { type FakeHamsaServerOptions, fakeSpeech } from '../../lib/testing/index.js';
import { rejectionOf, useHamsaHarness } from '../support/hamsa-harness.js';
import { collect, readUntilFailure, startTts, text, voice } from './tts-harness.js';
import { parseWav } from './wav-parse.js';

/** Each REST and stream entry point, read to its end. */
const calls: [string, (tts: HamsaTtsService, request: HamsaTtsRequest) => Promise<Buffer>][] = [
  ['synthesize()', (tts, request) => tts.synthesize(request)],
  ['stream()', (tts, request) => collect(tts.stream(request))],
  ['streamWav()', (tts, request) => collect(tts.streamWav(request))],
  ['streamReadable()', (tts, request) => collect(tts.streamReadable(request))],
];

const speech = fakeSpeech(text);

/** Whether `audio` ends with the whole speech, after at most a 44-byte header. */
function holdsTheSpeech(audio: Buffer): boolean {
  const tail = audio.subarray(audio.length - speech.length);
  return audio.length - speech.length <= 44 && tail.equals(speech);
}

describe('empty answers over REST and streams', () => {
  const harness = useHamsaHarness();
  const start = (
    serverOptions?: FakeHamsaServerOptions,
    overrides?: Partial<HamsaVoiceModuleOptions>,
  ) => startTts(harness, serverOptions, overrides);

  describe.each(calls)('%s', (_name, call) => {
    it('asks again after an empty answer: exactly 2 requests, the caller gets the speech', async () => {
      const { server, tts, app } = await start();
      server.scriptTts(voice, { empty: true });

      const audio = await call(tts, { text, speaker: voice });

      expect(holdsTheSpeech(audio)).toBe(true);
      expect(server.ttsCalls).toHaveLength(2);
      expect(app.logger.messages('warn')).toEqual([
        expect.stringMatching(/attempt 1 failed \(HamsaEmptyAudioError: .*without audio/),
      ]);
    });

    it('takes a 640-byte answer (a header and 18 ms of audio) as empty too', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { empty: true, audioBytes: 596 });

      const audio = await call(tts, { text, speaker: voice });

      expect(holdsTheSpeech(audio)).toBe(true);
      expect(server.ttsCalls).toHaveLength(2);
    });

    it('rejects HamsaEmptyAudioError after 1 + retries empty answers', async () => {
      const { server, tts } = await start({}, { retries: 2 });
      server.scriptTts(voice, { empty: true }, { empty: true }, { empty: true }, { empty: true });

      const error = await rejectionOf(call(tts, { text, speaker: voice }));

      expect(error).toBeInstanceOf(HamsaEmptyAudioError);
      expect(error).toMatchObject({ retryable: true, voiceId: voice, speaker: voice, audioMs: 0 });
      expect(server.ttsCalls).toHaveLength(3);
    });

    it('with emptyAnswerRate 0.5, gives every call its speech in exactly 2 requests', async () => {
      const { server, tts } = await start({ emptyAnswerRate: 0.5 });

      for (let i = 0; i < 4; i++) {
        expect(holdsTheSpeech(await call(tts, { text, speaker: voice }))).toBe(true);
      }

      expect(server.ttsCalls).toHaveLength(8);
    });

    it('with minAudioMs 0, returns the empty answer as before, in one request', async () => {
      const { server, tts } = await start({ emptyAnswerRate: 1 }, { tts: { minAudioMs: 0 } });

      const audio = await call(tts, { text, speaker: voice });

      expect(audio.length).toBeLessThanOrEqual(44);
      expect(server.ttsCalls).toHaveLength(1);
    });

    it('rejects an answer over tts.maxAudioBytes with HamsaMalformedAudioError', async () => {
      const { server, tts } = await start({}, { tts: { maxAudioBytes: 4096 } });

      const error = await rejectionOf(call(tts, { text, speaker: voice }));

      expect(error).toBeInstanceOf(HamsaMalformedAudioError);
      expect((error as Error).message).toMatch(/tts\.maxAudioBytes \(4096 bytes\)|4096\)/);
      expect(server.ttsCalls).toHaveLength(1);
    });
  });

  it('synthesize() reads the empty answer: HamsaEmptyAudioError counts its 44-byte header', async () => {
    const { tts } = await start({ emptyAnswerRate: 1 }, { retries: 0 });

    const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

    expect(error).toMatchObject({ name: 'HamsaEmptyAudioError', receivedBytes: 44 });
  });

  it('synthesize() with minAudioMs 0 returns the header-only WAV, data size 0', async () => {
    const { tts } = await start({ emptyAnswerRate: 1 }, { tts: { minAudioMs: 0 } });

    const wav = await tts.synthesize({ text, speaker: voice });

    expect(parseWav(wav)).toMatchObject({ dataSize: 0, riffSize: 36 });
  });

  it('synthesize() refuses a body announced over maxAudioBytes without reading it', async () => {
    const { server, tts } = await start({}, { tts: { maxAudioBytes: 4096 } });

    const error = await rejectionOf(tts.synthesize({ text, speaker: voice }));

    expect((error as Error).message).toMatch(/announces 5804 bytes.*it was not read/);
    expect(server.ttsCalls).toHaveLength(1);
  });

  describe('stream()', () => {
    it('hands out its first audio once minAudioMs of it arrived, then each chunk as it comes', async () => {
      const { tts } = await start({ ttsChunkSizes: [100], ttsChunkIntervalMs: 1 });

      const chunks: Buffer[] = [];
      for await (const chunk of tts.stream({ text, speaker: voice })) chunks.push(chunk);

      // 30 ms of 16 kHz 16-bit mono = 960 bytes: the first 10 chunks of 100 bytes, then 100s.
      expect(chunks[0]).toHaveLength(1000);
      expect(chunks.slice(1, -1).every((chunk) => chunk.length === 100)).toBe(true);
      expect(Buffer.concat(chunks).equals(speech)).toBe(true);
    });

    it('counts the audio after a RIFF header: header + 960 bytes first', async () => {
      const { tts } = await start({
        ttsStreamHeader: true,
        ttsChunkSizes: [100],
        ttsChunkIntervalMs: 1,
      });

      const first = await firstChunk(tts.stream({ text, speaker: voice }));

      expect(first).toHaveLength(1100);
    });

    it('reads 8 bytes per ms of µ-law: 240 bytes first', async () => {
      const { tts } = await start({ ttsChunkSizes: [40], ttsChunkIntervalMs: 1 });

      const first = await firstChunk(tts.stream({ text, speaker: voice, mulaw: true }));

      expect(first).toHaveLength(240);
    });

    it('asks again after a stream that ends after its RIFF header', async () => {
      const { server, tts } = await start({ ttsStreamHeader: true });
      server.scriptTts(voice, { empty: true, audioBytes: 10 });

      const audio = await collect(tts.stream({ text, speaker: voice }));

      expect(audio.subarray(44).equals(speech)).toBe(true);
      expect(server.ttsCalls).toHaveLength(2);
    });

    it('throws HamsaConnectionError, never a normal end, when cut after audio reached the caller', async () => {
      const { server, tts } = await start();
      server.scriptTts(voice, { cutAfterBytes: 3000 });

      const { error, bytes } = await readUntilFailure(tts.stream({ text, speaker: voice }));

      expect(error).toBeInstanceOf(HamsaConnectionError);
      expect(error).toMatchObject({ retryable: true });
      expect(bytes).toBeGreaterThan(0);
      expect(server.ttsCalls).toHaveLength(1);
    });
  });
});

async function firstChunk(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  for await (const chunk of chunks) return chunk;
  throw new Error('no chunk');
}
