import { describe, expect, it } from '@jest/globals';
import {
  HamsaRealtimeError,
  HamsaTtsRequestError,
  type HamsaSpeakTextOptions,
  type HamsaSpeech,
  splitSpeechText,
} from '../../lib/index.js';
import {
  type FakeHamsaServer,
  type FakeHamsaServerOptions,
  fakeSpeech,
} from '../../lib/testing/index.js';
import { isWav } from '../../lib/tts/wav.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  sleep,
  useHamsaHarness,
  waitFor,
} from '../support/hamsa-harness.js';
import { collect, startTts, voice } from '../tts/tts-harness.js';
import { peakConcurrency, tokensOf } from './speech-harness.js';

/** Four Arabic and English sentences: four segments. */
const ANSWER =
  'أهلا بك في خدمة العملاء الخاصة بنا. رصيدك الحالي هو ١٢٠٫٥ ريال سعودي. ' +
  'Your next bill is due on the 3rd of May. هل هناك أي شيء آخر يمكنني مساعدتك به؟';
const SEGMENTS = splitSpeechText(ANSWER);
/** Audio paced at 3× real time (16 kHz 16-bit): a segment takes ~0.2–0.3 s to arrive. */
const PACED: FakeHamsaServerOptions = { ttsBytesPerSecond: 96_000, ttsChunkSizes: [3200] };

const TRANSPORTS = ['websocket', 'stream'] as const;

describe('HamsaTtsService.speakText()', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  async function start(serverOptions: FakeHamsaServerOptions = {}) {
    return startTts(harness, { coldStartMs: 0, ...serverOptions });
  }

  it('has four segments in its test answer', () => {
    expect(SEGMENTS).toHaveLength(4);
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    const calls = (server: FakeHamsaServer) =>
      server.ttsCalls.filter(
        (call) => call.transport === (transport === 'stream' ? 'stream' : 'ws'),
      );

    it('yields every segment’s audio in text order, bare, and reports them spoken', async () => {
      // The stream starts with a RIFF header of its own: it must not reach the audio.
      const { server, tts } = await start({ ttsStreamHeader: true });

      const announced: string[] = [];
      const speech = tts.speakText(ANSWER, {
        speaker: voice,
        transport,
        onSegmentStart: ({ index, text }) => announced.push(`${index}:${text}`),
      });
      const audio = await collect(speech);

      expect(audio.equals(Buffer.concat(SEGMENTS.map((segment) => fakeSpeech(segment))))).toBe(
        true,
      );
      // Asked for at the same time, they may arrive in any order.
      expect(
        calls(server)
          .map((call) => call.text)
          .sort(),
      ).toEqual([...SEGMENTS].sort());
      const report = await speech.report;
      expect(report.segments.map((segment) => segment.spoken)).toEqual([true, true, true, true]);
      expect(report.segments.map((s) => s.audioBytes)).toEqual(
        SEGMENTS.map((segment) => fakeSpeech(segment).length),
      );
      expect(report.spokenText).toBe(SEGMENTS.join(' '));
      expect(report.unspokenText).toBe('');
      expect(announced).toEqual(SEGMENTS.map((segment, index) => `${index}:${segment}`));
      expect(report.interrupted).toBe(false);
      expect(report.error).toBeUndefined();
    });

    it('with wav: true, one WAV header first, then the bare audio (µ-law too)', async () => {
      const { tts } = await start({ ttsStreamHeader: true });

      const audio = await collect(
        tts.speakText(ANSWER, { speaker: voice, transport, wav: true, mulaw: true }),
      );

      expect(isWav(audio)).toBe(true);
      expect(audio.readUInt16LE(20)).toBe(7); // µ-law
      const bare = Buffer.concat(SEGMENTS.map((segment) => fakeSpeech(segment, true)));
      expect(audio.subarray(44).equals(bare)).toBe(true);
    });

    it('requests a segment as soon as its end arrives, before the token stream ends', async () => {
      const { server, tts } = await start();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      // Tokens of the first two sentences, then a pause the test ends.
      async function* tokens(): AsyncGenerator<string> {
        yield* tokensOf(`${SEGMENTS[0]} ${SEGMENTS[1]} `, 3);
        await gate;
        yield* tokensOf(SEGMENTS.slice(2).join(' '), 3);
      }

      const speech = tts.speakText(tokens(), { speaker: voice, transport });
      const reading = collect(speech);
      await waitFor(() => calls(server).length === 1, 'the first segment requested');
      expect(calls(server)[0].text).toBe(SEGMENTS[0]);
      release();
      const audio = await reading;

      // Asked for at the same time, they may arrive in any order.
      expect(
        calls(server)
          .map((call) => call.text)
          .sort(),
      ).toEqual([...SEGMENTS].sort());
      expect(audio.equals(Buffer.concat(SEGMENTS.map((segment) => fakeSpeech(segment))))).toBe(
        true,
      );
    });

    it.each([0, 1, 2])(
      'synthesizes at most lookahead (%i) segments beyond the one played, counted at the fake',
      async (lookahead) => {
        const { server, tts } = await start(PACED);
        const text = [...SEGMENTS, ...SEGMENTS].join(' ');

        await collect(tts.speakText(text, { speaker: voice, transport, lookahead }));

        expect(calls(server)).toHaveLength(8);
        expect(peakConcurrency(calls(server))).toBe(lookahead + 1);
      },
    );

    it('keeps at most lookahead segments waiting while the caller does not read', async () => {
      const { server, tts } = await start();
      const iterator = tts
        .speakText([...SEGMENTS, ...SEGMENTS].join(' '), {
          speaker: voice,
          transport,
          lookahead: 2,
        })
        [Symbol.asyncIterator]();

      await iterator.next();
      await sleep(300);

      expect(calls(server)).toHaveLength(3);
      await iterator.return!();
    });

    it('ends with the failing segment’s error after the audio before it; nothing more is sent', async () => {
      const { server, tts } = await start();
      // The second call fails, and is not retried (a 400, or Hamsa's error message).
      server.scriptTts(
        voice,
        { delayMs: 0 },
        transport === 'stream' ? { status: 400 } : { error: 'bad text' },
      );
      const speech = tts.speakText(ANSWER, { speaker: voice, transport, lookahead: 0 });
      const chunks: Buffer[] = [];

      const error = await rejectionOf(
        (async () => {
          for await (const chunk of speech) chunks.push(chunk);
        })(),
      );

      expect(error).toBeInstanceOf(transport === 'stream' ? Error : HamsaRealtimeError);
      expect((error as Error).name).toMatch(/^Hamsa/);
      expect(Buffer.concat(chunks).equals(fakeSpeech(SEGMENTS[0]))).toBe(true);
      await sleep(100);
      expect(calls(server)).toHaveLength(2);
      const report = await speech.report;
      expect(report.error).toBe(error);
      expect(report.interrupted).toBe(false);
      expect(report.spokenText).toBe(SEGMENTS[0]);
      expect(report.unspokenText).toBe(SEGMENTS.slice(1).join(' '));
    });
  });

  describe.each(TRANSPORTS)('barge-in over %s', (transport) => {
    const options = (signal?: AbortSignal): HamsaSpeakTextOptions => ({
      speaker: voice,
      transport,
      signal,
    });

    /** Aborts after `chunks` chunks were read; checks what must hold after any barge-in. */
    async function bargeInAfter(
      server: FakeHamsaServer,
      speech: HamsaSpeech,
      controller: AbortController,
      chunks: number,
    ): Promise<void> {
      const reason = new Error('the user spoke');
      let read = 0;
      const error = await rejectionOf(
        (async () => {
          for await (const _chunk of speech) {
            if (++read === chunks) controller.abort(reason);
          }
        })(),
      );
      expect(error).toBe(reason);
      await expectAllEnded(server, chunks);
      const report = await speech.report;
      expect(report.interrupted).toBe(true);
      expect(ANSWER.replace(/\s+/g, ' ').startsWith(report.spokenText)).toBe(true);
      expect(`${report.spokenText} ${report.unspokenText}`.trim()).toBe(SEGMENTS.join(' '));
    }

    /** Every request Hamsa got has ended, and no other comes. */
    async function expectAllEnded(server: FakeHamsaServer, context: unknown): Promise<void> {
      const allEnded = () => server.ttsCalls.every((call) => call.endedAt !== undefined);
      await waitFor(allEnded, `every request closed (after ${String(context)} chunks)`);
      // A request already on the wire at the abort may still arrive; none is sent later.
      const before = server.ttsCalls.length;
      await sleep(150);
      expect(server.ttsCalls.length).toBe(before);
      expect(allEnded()).toBe(true);
    }

    it.each([1, 2, 5, 9, 14])('abort after %i chunks cancels everything', async (chunks) => {
      const { server, tts } = await start({ ...PACED, ttsChunkSizes: [4000] });
      const controller = new AbortController();

      await bargeInAfter(
        server,
        tts.speakText(ANSWER, options(controller.signal)),
        controller,
        chunks,
      );
    });

    it('abort before the first audio, while the first segment is asked for', async () => {
      const { server, tts } = await start({ ttsLatencyMs: 5_000 });
      const controller = new AbortController();
      const speech = tts.speakText(ANSWER, options(controller.signal));
      const reading = rejectionOf(collect(speech));

      await waitFor(() => server.ttsCalls.length === 3, 'the window requested');
      controller.abort(new Error('stop'));

      expect(((await reading) as Error).message).toBe('stop');
      await expectAllEnded(server, 0);
      expect((await speech.report).spokenText).toBe('');
    });

    it('abort while the token stream is still producing stops reading it', async () => {
      const { server, tts } = await start(PACED);
      const controller = new AbortController();
      let produced = 0;
      let returned = false;
      async function* tokens(): AsyncGenerator<string> {
        try {
          for (const token of tokensOf(`${ANSWER} ${ANSWER}`, 4)) {
            produced++;
            yield token;
            await sleep(5);
          }
        } finally {
          returned = true;
        }
      }
      const speech = tts.speakText(tokens(), options(controller.signal));
      const reading = rejectionOf(collect(speech));

      await waitFor(() => server.ttsCalls.length >= 1, 'a segment requested');
      controller.abort(new Error('stop'));
      await reading;

      await expectAllEnded(server, 'some');
      await waitFor(() => returned, 'the token stream returned');
      const producedAtStop = produced;
      await sleep(50);
      expect(produced).toBe(producedAtStop);
      const report = await speech.report;
      expect(report.interrupted).toBe(true);
      expect(report.unspokenText.length).toBeGreaterThan(0);
    });

    it('leaving the loop (break) cancels everything, without an error', async () => {
      const { server, tts } = await start(PACED);
      const speech = tts.speakText(ANSWER, options());

      for await (const _chunk of speech) break;

      await expectAllEnded(server, 1);
      const report = await speech.report;
      expect(report.interrupted).toBe(true);
      expect(report.spokenText).toBe('');
      expect(report.segments[0].spoken).toBe(false);
    });

    it('a signal aborted before iteration: nothing is sent', async () => {
      const { server, tts } = await start();
      const controller = new AbortController();
      controller.abort(new Error('too late'));

      const error = await rejectionOf(collect(tts.speakText(ANSWER, options(controller.signal))));

      expect((error as Error).message).toBe('too late');
      expect(server.ttsCalls).toHaveLength(0);
    });
  });

  it('awaits an on-demand cloned voice once, then speaks every segment', async () => {
    const { server, tts } = await start({ coldStartMs: 0, latencyMs: 200 });
    const other = '6f9619ff-8b86-d011-b42d-00cf4fc964ff';

    const audio = await collect(tts.speakText(ANSWER, { speaker: other }));

    expect(audio.length).toBe(SEGMENTS.reduce((bytes, s) => bytes + fakeSpeech(s).length, 0));
    expect(server.requests.filter((request) => request.voiceId === other)).toHaveLength(1);
  });

  it('rejects invalid options at once, naming each', async () => {
    const { tts } = await start();
    const invalid = (text: unknown, options: unknown) => () =>
      tts.speakText(text as string, options as HamsaSpeakTextOptions);

    expect(invalid(ANSWER, { speaker: voice, lookahead: 9 })).toThrow(
      /lookahead must be an integer from 0 to 8, got 9/,
    );
    expect(invalid(ANSWER, { speaker: voice, transport: 'rest' })).toThrow(/transport must be/);
    expect(invalid(ANSWER, { speaker: '' })).toThrow(/speaker must be/);
    expect(invalid(42, { speaker: voice })).toThrow(/text must be a string or an AsyncIterable/);
    expect(invalid(ANSWER, { speaker: voice, transport: 'stream', dialect: 'modern' })).toThrow(
      HamsaTtsRequestError,
    );
    expect(invalid(ANSWER, { speaker: voice, dialect: 'modern' })).not.toThrow();
  });

  it('can be iterated once only', async () => {
    const { tts } = await start();
    const speech = tts.speakText(ANSWER, { speaker: voice });
    await collect(speech);

    expect(() => speech[Symbol.asyncIterator]()).toThrow(/once only/);
  });
});
