import { describe, expect, it } from '@jest/globals';
import {
  HamsaConnectionError,
  HamsaEmptyAudioError,
  HamsaMalformedAudioError,
} from '../../lib/index.js';
import { fakeSpeech } from '../../lib/testing/index.js';
import { rejectionOf, useHamsaHarness } from '../support/hamsa-harness.js';
import {
  collect,
  handshakes,
  openTtsSession,
  readUntilFailure,
  text,
  voice,
} from './tts-harness.js';

describe('empty answers on a caller-owned WebSocket session', () => {
  const harness = useHamsaHarness();

  it.each([
    ['no audio between `ack` and `end`', { empty: true as const }],
    [
      '596 bytes (18 ms) of audio, as the 640-byte replies',
      { empty: true as const, audioBytes: 596 },
    ],
  ])('rejects HamsaEmptyAudioError for %s, and closes the session', async (_label, step) => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, step);

    const error = await rejectionOf(collect(session.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(HamsaEmptyAudioError);
    expect(error).toMatchObject({ retryable: true, speaker: voice });
    await session.closed;
    expect(session.isOpen).toBe(false);
    const next = await rejectionOf(collect(session.speak({ text, speaker: voice })));
    expect(next).toBeInstanceOf(HamsaConnectionError);
    expect((next as Error).message).toMatch(/answered without audio.*open a new session/);
    expect(server.ttsCalls).toHaveLength(1);
    expect(handshakes(server)).toBe(1);
  });

  it('a new session then speaks: 2 requests on 2 sockets (emptyAnswerRate 0.5)', async () => {
    const { server, tts, session } = await openTtsSession(harness, { emptyAnswerRate: 0.5 });

    const error = await rejectionOf(collect(session.speak({ text, speaker: voice })));
    const fresh = await tts.openSession();
    const audio = await collect(fresh.speak({ text, speaker: voice }));

    expect(error).toBeInstanceOf(HamsaEmptyAudioError);
    expect(audio.equals(fakeSpeech(text))).toBe(true);
    expect(server.ttsCalls).toHaveLength(2);
    expect(handshakes(server)).toBe(2);
    await fresh.close();
  });

  it('with minAudioMs 0, ends the empty utterance normally and keeps the session', async () => {
    const { server, session } = await openTtsSession(harness, {}, { tts: { minAudioMs: 0 } });
    server.scriptTts(voice, { empty: true });

    const empty = await collect(session.speak({ text, speaker: voice }));
    const audio = await collect(session.speak({ text, speaker: voice }));

    expect(empty).toHaveLength(0);
    expect(audio.equals(fakeSpeech(text))).toBe(true);
    expect(server.ttsCalls).toHaveLength(2);
    await session.close();
  });

  it('hands out its first frame once minAudioMs of audio arrived, later frames as they come', async () => {
    const { session } = await openTtsSession(harness, {
      ttsChunkSizes: [100],
      ttsChunkIntervalMs: 1,
    });

    const frames: Buffer[] = [];
    for await (const frame of session.speak({ text, speaker: voice })) frames.push(frame);

    expect(frames[0]).toHaveLength(1000);
    expect(frames.slice(1, -1).every((frame) => frame.length === 100)).toBe(true);
    expect(Buffer.concat(frames).equals(fakeSpeech(text))).toBe(true);
    expect(session.isOpen).toBe(true);
    await session.close();
  });

  it('throws HamsaConnectionError, never a normal end, when the socket breaks after audio', async () => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, { cutAfterBytes: 3000 });

    const { error, bytes } = await readUntilFailure(session.speak({ text, speaker: voice }));

    expect(error).toBeInstanceOf(HamsaConnectionError);
    expect(error).toMatchObject({ retryable: true });
    expect(bytes).toBeGreaterThan(0);
    expect(session.isOpen).toBe(false);
  });

  it('rejects an answer over tts.maxAudioBytes with HamsaMalformedAudioError, closing the session', async () => {
    const { server, session } = await openTtsSession(harness, {}, { tts: { maxAudioBytes: 4096 } });

    const error = await rejectionOf(collect(session.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(HamsaMalformedAudioError);
    await session.closed;
    expect(server.ttsCalls).toHaveLength(1);
  });
});
