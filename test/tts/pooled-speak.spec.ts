import { describe, expect, it } from '@jest/globals';
import {
  HamsaConnectionError,
  HamsaRealtimeError,
  HamsaServerError,
  HamsaTimeoutError,
  HamsaTtsRequestError,
  type HamsaVoiceModuleOptions,
  VoiceNotReadyError,
} from '../../lib/index.js';
import {
  type FakeHamsaServer,
  type FakeHamsaServerOptions,
  fakeSpeech,
} from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  settled,
  sleep,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';
import { collect, handshakes, startTts, text, voice } from './tts-harness.js';

/** WebSocket TTS requests the server received. */
function wsCalls(server: FakeHamsaServer): number {
  return server.ttsCalls.filter((call) => call.transport === 'ws').length;
}

/** Frames 10 ms apart: an utterance of `text` takes ~50 ms to play out. */
const SLOW_AUDIO: FakeHamsaServerOptions = { ttsChunkSizes: [1000], ttsChunkIntervalMs: 10 };

describe('HamsaTtsService.speak() (pooled WebSocket sessions)', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  function start(
    serverOptions: FakeHamsaServerOptions = {},
    overrides: Partial<HamsaVoiceModuleOptions> = {},
  ) {
    return startTts(harness, serverOptions, overrides);
  }

  it('speaks 20 sequential utterances over one WebSocket', async () => {
    const { server, tts } = await start();

    for (let i = 0; i < 20; i++) {
      const audio = await collect(tts.speak({ text: `${text} ${i}`, speaker: voice }));
      expect(audio.equals(fakeSpeech(`${text} ${i}`))).toBe(true);
    }

    expect(handshakes(server)).toBe(1);
    expect(wsCalls(server)).toBe(20);
    expect(server.openWebSockets).toBe(1);
  });

  it('opens at most tts.maxSessions sockets: 10 concurrent utterances on 3', async () => {
    const { server, tts } = await start(SLOW_AUDIO, { tts: { maxSessions: 3 } });
    const texts = Array.from({ length: 10 }, (_, i) => `${text} ${i}`);

    const audios = await Promise.all(
      texts.map((t) => collect(tts.speak({ text: t, speaker: voice }))),
    );

    audios.forEach((audio, i) => expect(audio.equals(fakeSpeech(texts[i]))).toBe(true));
    expect(handshakes(server)).toBe(3);
    expect(wsCalls(server)).toBe(10);
  });

  it('speaks one utterance per session at a time', async () => {
    const { server, tts } = await start(SLOW_AUDIO, { tts: { maxSessions: 1 } });

    await Promise.all([
      collect(tts.speak({ text, speaker: voice })),
      collect(tts.speak({ text: 'أهلا', speaker: voice })),
    ]);

    expect(handshakes(server)).toBe(1);
    const [first, second] = server.ttsCalls;
    // Sent once the first ended (~50 ms of frames), not queued behind it on the socket.
    expect(second.receivedAt).toBeGreaterThanOrEqual(first.receivedAt + 40);
  });

  it('asks again on a new session when Hamsa closes one (1001) before any audio', async () => {
    const { server, tts } = await start();
    await collect(tts.speak({ text, speaker: voice }));
    server.scriptTts(voice, { closeCode: 1001, reason: 'server shutdown' });

    const audio = await collect(tts.speak({ text, speaker: voice }));

    expect(audio.equals(fakeSpeech(text))).toBe(true);
    expect(handshakes(server)).toBe(2);
    expect(wsCalls(server)).toBe(3);
    // The closed session is not handed out again: the next utterance uses the new one.
    await collect(tts.speak({ text, speaker: voice }));
    expect(handshakes(server)).toBe(2);
    expect(server.openWebSockets).toBe(1);
  });

  it('replaces an idle session that Hamsa closed (1000 after 60 minutes idle)', async () => {
    const { server, tts } = await start();
    await collect(tts.speak({ text, speaker: voice }));

    server.closeWebSockets(1000, 'idle');
    await waitFor(() => server.openWebSockets === 0, 'the session closed');
    await collect(tts.speak({ text, speaker: voice }));

    expect(handshakes(server)).toBe(2);
    expect(wsCalls(server)).toBe(2);
  });

  it('asks a retryable failure before audio again (4500) and logs it', async () => {
    const { server, app, tts } = await start();
    server.scriptTts(voice, { closeCode: 4500 });

    const audio = await collect(tts.speak({ text, speaker: voice }));

    expect(audio.equals(fakeSpeech(text))).toBe(true);
    expect(handshakes(server)).toBe(2);
    expect(wsCalls(server)).toBe(2);
    expect(app.logger.messages('warn')).toEqual([
      expect.stringMatching(/on another WebSocket\): attempt 1 failed \(HamsaServerError: .*4500/),
    ]);
  });

  it('gives up after retries: the last failure is thrown', async () => {
    const { server, tts } = await start({}, { retries: 1 });
    server.scriptTts(voice, { closeCode: 4500 }, { closeCode: 4500 });

    const error = await rejectionOf(collect(tts.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(HamsaServerError);
    expect(wsCalls(server)).toBe(2);
    expect(handshakes(server)).toBe(2);
  });

  it('throws a failure after audio reached the caller, never replays it', async () => {
    const { server, tts } = await start({ ttsChunkSizes: [500] });
    server.scriptTts(voice, { cutAfterBytes: 1500 });
    const frames: Buffer[] = [];

    const error = await rejectionOf(
      (async () => {
        for await (const frame of tts.speak({ text, speaker: voice })) frames.push(frame);
      })(),
    );

    expect(error).toBeInstanceOf(HamsaConnectionError);
    expect(Buffer.concat(frames).length).toBeGreaterThan(0);
    expect(wsCalls(server)).toBe(1);
    // Its session is not reused.
    await collect(tts.speak({ text, speaker: voice }));
    expect(handshakes(server)).toBe(2);
  });

  it('throws a failure that is not retryable, and reuses the session', async () => {
    const { server, tts } = await start();
    server.scriptTts(voice, { error: 'Text is not supported' });

    const error = await rejectionOf(collect(tts.speak({ text, speaker: voice })));
    await collect(tts.speak({ text, speaker: voice }));

    expect(error).toBeInstanceOf(HamsaRealtimeError);
    expect(wsCalls(server)).toBe(2);
    expect(handshakes(server)).toBe(1);
  });

  it('rejects an invalid request at once, sending nothing', async () => {
    const { server, tts } = await start();

    expect(() => tts.speak({ text: '', speaker: voice })).toThrow(HamsaTtsRequestError);
    expect(() => tts.speak({ text, speaker: voice }, { timeoutMs: -1 })).toThrow(
      HamsaTtsRequestError,
    );
    expect(handshakes(server)).toBe(0);
  });

  it('fails with HamsaTimeoutError naming the wait when no session comes free in time', async () => {
    const { server, tts } = await start({}, { tts: { maxSessions: 1 } });
    server.scriptTts(voice, { hang: true });
    const hanging = settled(collect(tts.speak({ text, speaker: voice }, { timeoutMs: 5_000 })));
    await waitFor(() => wsCalls(server) === 1, 'the first utterance sent');

    const startedAt = Date.now();
    const error = await rejectionOf(
      collect(tts.speak({ text, speaker: 'Amjad' }, { timeoutMs: 200 })),
    );

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(error).toBeInstanceOf(HamsaTimeoutError);
    expect((error as Error).message).toMatch(
      /^Waited 200 ms \(timeoutMs\) for a free Hamsa TTS session: all 1 \(tts\.maxSessions\)/,
    );
    expect(wsCalls(server)).toBe(1);
    expect(handshakes(server)).toBe(1);
    // The hanging utterance ends at shutdown, after the test.
    void hanging;
  });

  it('gives up the wait for a session when the signal aborts', async () => {
    const { server, tts } = await start(SLOW_AUDIO, { tts: { maxSessions: 1 } });
    const first = collect(tts.speak({ text, speaker: voice }));
    await waitFor(() => wsCalls(server) === 1, 'the first utterance sent');
    const controller = new AbortController();
    const waiting = rejectionOf(
      collect(tts.speak({ text, speaker: voice }, { signal: controller.signal })),
    );

    controller.abort(new Error('caller gave up'));

    expect(await within(500, 'the aborted wait', waiting)).toEqual(new Error('caller gave up'));
    expect((await first).equals(fakeSpeech(text))).toBe(true);
    // The aborted one never took the session: the next utterance is the second request.
    await collect(tts.speak({ text: 'أهلا', speaker: voice }));
    expect(server.ttsCalls.map((call) => call.text)).toEqual([text, 'أهلا']);
    expect(handshakes(server)).toBe(1);
  });

  it('rejects speaking and waiting utterances at shutdown and closes every socket', async () => {
    const { server, app, tts } = await start({}, { tts: { maxSessions: 1 } });
    server.scriptTts(voice, { hang: true });
    const speaking = rejectionOf(collect(tts.speak({ text, speaker: voice })));
    await waitFor(() => wsCalls(server) === 1, 'the first utterance sent');
    const waiting = rejectionOf(collect(tts.speak({ text, speaker: voice })));

    await within(2_000, 'shutdown', harness.close(app.moduleRef));

    for (const error of [await speaking, await waiting]) {
      expect(error).toBeInstanceOf(VoiceNotReadyError);
      expect(error).toMatchObject({ reason: 'shutdown' });
    }
    await waitFor(() => server.openWebSockets === 0, 'every WebSocket closed');
    expect(wsCalls(server)).toBe(1);
  });

  it('pre-opens tts.warmSessions sessions in the pool', async () => {
    const { server, tts } = await start({}, { tts: { warmSessions: 1 } });
    await waitFor(() => server.openWebSockets === 1, 'the warm session open');
    await sleep(50);

    await collect(tts.speak({ text, speaker: voice }));

    expect(handshakes(server)).toBe(1);
  });

  it('lets openSession() take an idle pooled session, which then is the caller’s', async () => {
    const { server, tts } = await start();
    await collect(tts.speak({ text, speaker: voice }));

    const session = await tts.openSession();
    expect(handshakes(server)).toBe(1);
    const [own, pooled] = await Promise.all([
      collect(session.speak({ text, speaker: voice })),
      collect(tts.speak({ text, speaker: voice })),
    ]);

    expect(own.equals(fakeSpeech(text))).toBe(true);
    expect(pooled.equals(fakeSpeech(text))).toBe(true);
    expect(handshakes(server)).toBe(2);
    await session.close();
  });
});
