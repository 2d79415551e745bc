import { describe, expect, it } from '@jest/globals';
import {
  HamsaConnectionError,
  HamsaTimeoutError,
  HamsaTtsRequestError,
  HamsaTtsService,
} from '../../lib/index.js';
import { type FakeHamsaServerOptions, fakeSpeech } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  sleep,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';
import { collect, openTtsSession, readUntilFailure, text, voice } from './tts-harness.js';

/** `fakeSpeech(text)` is 5760 bytes: in 500-byte frames 25 ms apart it plays for about 300 ms. */
const slowFrames: FakeHamsaServerOptions = { ttsChunkSizes: [500], ttsChunkIntervalMs: 25 };

describe('HamsaTtsSession: timeoutMs and signal of speak()', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  it.each([
    ['ack and 2000 bytes, then silence', { stallAfterBytes: 2000 }, 'the next audio frame or end'],
    ['ack, then silence', { stallAfterBytes: 0 }, 'the next audio frame or end'],
    ['no answer at all', { hang: true as const }, 'an answer to the request'],
  ])('times out a missing end (%s) and closes the session', async (_case, step, waitingFor) => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, step);

    const { bytes, error } = await within(
      1_000,
      'the silent utterance',
      readUntilFailure(session.speak({ text, speaker: voice }, { timeoutMs: 150 })),
    );

    expect(error).toBeInstanceOf(HamsaTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 150, voiceId: voice });
    expect((error as Error).message).toBe(
      `Hamsa sent nothing for 150 ms (timeoutMs) while waiting for ${waitingFor} (speaker ${voice})`,
    );
    expect(bytes).toBe('stallAfterBytes' in step ? step.stallAfterBytes : 0);
    expect(session.isOpen).toBe(false);
    await waitFor(() => server.openWebSockets === 0, 'the server saw the session close');

    const next = await rejectionOf(collect(session.speak({ text, speaker: voice })));
    expect(next).toBeInstanceOf(HamsaConnectionError);
    expect((next as Error).message).toBe(
      `The Hamsa TTS session was closed after an utterance timed out (speaker ${voice}); ` +
        'open a new session',
    );
  });

  it("defaults timeoutMs to the module's requestTimeoutMs", async () => {
    const { server, session } = await openTtsSession(harness, {}, { requestTimeoutMs: 200 });
    server.scriptTts('Amjad', { stallAfterBytes: 0 });

    const error = await within(
      1_000,
      'the silent utterance',
      rejectionOf(collect(session.speak({ text, speaker: 'Amjad' }))),
    );

    expect(error).toBeInstanceOf(HamsaTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect((error as Error).message).toContain('200 ms (timeoutMs, by default requestTimeoutMs)');
  });

  it('fails the utterances queued behind one that timed out, without sending them', async () => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, { stallAfterBytes: 1000 });

    const [first, second] = await within(
      1_000,
      'both utterances',
      Promise.all([
        rejectionOf(collect(session.speak({ text, speaker: voice }, { timeoutMs: 100 }))),
        rejectionOf(collect(session.speak({ text: 'ثم', speaker: voice }))),
      ]),
    );

    expect(first).toBeInstanceOf(HamsaTimeoutError);
    expect(second).toBeInstanceOf(HamsaConnectionError);
    expect((second as Error).message).toContain('closed after an utterance timed out');
    expect(server.ttsCalls.map((call) => call.text)).toEqual([text]);
  });

  it('starts the timer when the request is sent, not while it waits its turn', async () => {
    // Each utterance plays for ~300 ms, in frames 25 ms apart: within a 100 ms timeout per
    // frame, but the second waits ~300 ms for its turn.
    const { server, session } = await openTtsSession(harness, slowFrames);

    const [first, second] = await Promise.all([
      collect(session.speak({ text, speaker: voice }, { timeoutMs: 100 })),
      collect(session.speak({ text, speaker: 'Amjad' }, { timeoutMs: 100 })),
    ]);

    expect(first.equals(fakeSpeech(text))).toBe(true);
    expect(second.equals(fakeSpeech(text))).toBe(true);
    expect(server.ttsCalls[1].receivedAt - server.ttsCalls[0].receivedAt).toBeGreaterThan(100);
    expect(session.isOpen).toBe(true);
    await session.close();
  });

  it('starts the timer when the request is sent, not while its voice is loading', async () => {
    const server = await harness.server({ latencyMs: 300 });
    const app = await harness.start(server, { voiceIds: [voice], waitForReady: false });
    const session = await app.moduleRef.get(HamsaTtsService).openSession();

    const audio = await collect(session.speak({ text, speaker: voice }, { timeoutMs: 100 }));

    expect(audio.equals(fakeSpeech(text))).toBe(true);
    await session.close();
  });

  it('does not count the time a slow reader keeps the socket paused', async () => {
    // 116 frames of 50 bytes, 2 ms apart: the 64 unread ones pause the socket while the reader
    // sleeps, with frames still to come.
    const { session } = await openTtsSession(harness, {
      ttsChunkSizes: [50],
      ttsChunkIntervalMs: 2,
    });

    const frames: Buffer[] = [];
    for await (const frame of session.speak({ text, speaker: voice }, { timeoutMs: 100 })) {
      if (frames.length === 0) await sleep(400);
      frames.push(frame);
    }

    expect(Buffer.concat(frames).equals(fakeSpeech(text))).toBe(true);
    expect(session.isOpen).toBe(true);
    await session.close();
  });

  it('rejects with the reason of an abort mid-utterance, and closes the session', async () => {
    const { server, session } = await openTtsSession(harness, slowFrames);
    const controller = new AbortController();
    const reason = new Error('the caller hung up');

    let bytes = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const frame of session.speak(
          { text, speaker: voice },
          { signal: controller.signal },
        )) {
          bytes += frame.length;
          controller.abort(reason);
        }
      })(),
    );

    expect(error).toBe(reason);
    // The first frame handed out holds tts.minAudioMs (30 ms = 960 bytes): two frames of 500.
    expect(bytes).toBe(1000);
    expect(session.isOpen).toBe(false);
    await waitFor(() => server.openWebSockets === 0, 'the server saw the session close');
    const next = await rejectionOf(collect(session.speak({ text, speaker: voice })));
    expect((next as Error).message).toBe(
      `The Hamsa TTS session was closed after an utterance was aborted (speaker ${voice}); ` +
        'open a new session',
    );
  });

  it('rejects an utterance aborted while queued, and the session goes on', async () => {
    const { server, session } = await openTtsSession(harness, slowFrames);
    const controller = new AbortController();
    const reason = new Error('no longer needed');

    const first = collect(session.speak({ text, speaker: voice }));
    const queued = rejectionOf(
      collect(session.speak({ text: 'لا', speaker: voice }, { signal: controller.signal })),
    );
    await waitFor(() => server.ttsCalls.length === 1, 'the first utterance was sent');
    controller.abort(reason);

    expect(await within(100, 'the aborted utterance', queued)).toBe(reason);
    expect((await first).equals(fakeSpeech(text))).toBe(true);
    expect(session.isOpen).toBe(true);
    const third = await collect(session.speak({ text: 'ثم', speaker: voice }));
    expect(third.equals(fakeSpeech('ثم'))).toBe(true);
    expect(server.ttsCalls.map((call) => call.text)).toEqual([text, 'ثم']);
    await session.close();
  });

  it('rejects an utterance aborted while its voice is loading, and the session goes on', async () => {
    const server = await harness.server({ latencyMs: 300 });
    const app = await harness.start(server, { voiceIds: [voice], waitForReady: false });
    const session = await app.moduleRef.get(HamsaTtsService).openSession();
    const reason = new Error('no longer needed');

    const error = await rejectionOf(
      collect(session.speak({ text, speaker: voice }, { signal: AbortSignal.abort(reason) })),
    );

    expect(error).toBe(reason);
    expect(session.isOpen).toBe(true);
    expect(await collect(session.speak({ text, speaker: voice }))).toHaveLength(
      fakeSpeech(text).length,
    );
    expect(server.ttsCalls).toHaveLength(1);
    await session.close();
  });

  it('closes the session when Hamsa goes silent after the reader stopped early', async () => {
    const { server, session } = await openTtsSession(harness, { ttsChunkSizes: [500] });
    server.scriptTts(voice, { stallAfterBytes: 1000 });

    for await (const _frame of session.speak({ text, speaker: voice }, { timeoutMs: 100 })) break;
    const next = await within(
      1_000,
      'the next utterance',
      rejectionOf(collect(session.speak({ text: 'ثم', speaker: voice }))),
    );

    expect(next).toBeInstanceOf(HamsaConnectionError);
    expect((next as Error).message).toContain('closed after an utterance timed out');
  });

  it('validates timeoutMs before sending anything', async () => {
    const { server, session } = await openTtsSession(harness);

    for (const timeoutMs of [0, 1.5, -1, 2 ** 31, Number.NaN]) {
      expect(() => session.speak({ text, speaker: voice }, { timeoutMs })).toThrow(
        HamsaTtsRequestError,
      );
    }
    expect(() => session.speak({ text, speaker: voice }, { timeoutMs: 0 })).toThrow(
      /timeoutMs must be an integer from 1 to 2147483647 \(ms\), got 0/,
    );
    expect(() => session.speak({ text, speaker: voice }, null as never)).toThrow(
      /options must be an object/,
    );
    expect(server.ttsCalls).toHaveLength(0);
    await session.close();
  });
});
