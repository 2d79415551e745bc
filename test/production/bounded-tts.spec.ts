import { describe, expect, it } from '@jest/globals';
import {
  HamsaTimeoutError,
  HamsaTtsService,
  type HamsaVoiceModuleOptions,
  VoiceNotReadyError,
} from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  settled,
  sleep,
  useHamsaHarness,
  within,
} from '../support/hamsa-harness.js';
import { text } from '../tts/tts-harness.js';

const voice = fakeVoiceId(1);
/** How long the tests wait, after the fact, for a request that should never reach the fake. */
const LATE_SEND_WINDOW_MS = 400;

describe('every TTS call is bounded (slow readers, busy sockets, shutdown)', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  async function start(overrides: Partial<HamsaVoiceModuleOptions>) {
    // Audio in chunks 20 ms apart: a stream is not over (its socket not free) when its reader stops.
    const server = await harness.server({ coldStartMs: 0, ttsChunkIntervalMs: 20 });
    const app = await harness.start(server, { voiceIds: [voice], ...overrides });
    server.reset();
    return { server, app, tts: app.moduleRef.get(HamsaTtsService) };
  }

  /** A stream whose reader took its first chunk and then stopped asking: it holds its socket. */
  async function stalledReader(tts: HamsaTtsService) {
    const iterator = tts.stream({ text, speaker: voice })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    return iterator;
  }

  it('times a call out while it waits for a free connection, and never sends it', async () => {
    const { server, app, tts } = await start({
      tts: { maxSockets: 2 },
      requestTimeoutMs: 300,
    });
    const readers = [await stalledReader(tts), await stalledReader(tts)];
    expect(server.ttsCalls).toHaveLength(2);

    const startedAt = Date.now();
    const error = await within(
      3_000,
      'the queued call',
      rejectionOf(tts.synthesize({ text, speaker: voice })),
    );
    const waitedMs = Date.now() - startedAt;
    await harness.close(app.moduleRef);
    await sleep(LATE_SEND_WINDOW_MS);

    expect(error).toBeInstanceOf(HamsaTimeoutError);
    expect((error as Error).message).toMatch(/waiting for a free connection \(tts\.maxSockets\)/);
    expect(waitedMs).toBeLessThan(1_000);
    // Neither when it timed out, nor when close() freed the two sockets.
    expect(server.ttsCalls).toHaveLength(2);
    await Promise.all(readers.map((reader) => reader.return?.()));
  });

  it('ends a call whose reader stopped for tts.readerIdleTimeoutMs, which frees its socket', async () => {
    const { server, tts } = await start({ tts: { maxSockets: 1, readerIdleTimeoutMs: 300 } });
    const reader = await stalledReader(tts);

    // Only the stalled reader's socket exists: this call can go through once it is freed.
    const next = await within(3_000, 'the next call', tts.synthesize({ text, speaker: voice }));
    const error = await rejectionOf(reader.next());

    expect(next.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(server.ttsCalls).toHaveLength(2);
    expect(error).toBeInstanceOf(HamsaTimeoutError);
    expect((error as Error).message).toMatch(
      /took no chunk for 300 ms \(tts\.readerIdleTimeoutMs\)/,
    );
  });

  it('at close(), refuses the calls waiting for a connection: they are never sent', async () => {
    const { server, app, tts } = await start({
      tts: { maxSockets: 1 },
      requestTimeoutMs: 10_000,
      shutdownGraceMs: 200,
    });
    const reader = await stalledReader(tts);
    const queued = [1, 2, 3].map(() => settled(tts.synthesize({ text, speaker: voice })));
    await sleep(50); // they are waiting in line now

    await within(3_000, 'close()', harness.close(app.moduleRef));
    const outcomes = await within(1_000, 'the queued calls', Promise.all(queued));
    const held = await rejectionOf(reader.next());
    await sleep(LATE_SEND_WINDOW_MS);

    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(VoiceNotReadyError);
      expect(outcome).toMatchObject({ reason: 'shutdown' });
    }
    expect(held).toBeInstanceOf(VoiceNotReadyError);
    expect(held).toMatchObject({ reason: 'shutdown' });
    expect(server.ttsCalls).toHaveLength(1);
  });

  it('refuses a call started after shutdown began, before it reaches the wire', async () => {
    const { server, app, tts } = await start({});
    const closing = harness.close(app.moduleRef);
    const error = await rejectionOf(tts.synthesize({ text, speaker: 'Amjad' }));
    await closing;
    await sleep(LATE_SEND_WINDOW_MS);

    expect(error).toBeInstanceOf(VoiceNotReadyError);
    expect(error).toMatchObject({ reason: 'shutdown' });
    expect(server.ttsCalls).toHaveLength(0);
  });

  it('ends a WebSocket utterance whose frames keep coming without end within deadlineMs', async () => {
    const server = await harness.server({
      coldStartMs: 0,
      ttsChunkSizes: [2],
      ttsChunkIntervalMs: 50,
    });
    const app = await harness.start(server, {
      voiceIds: [voice],
      deadlineMs: 600,
      // Frames of 2 bytes: none would pass the default 30 ms gate before the deadline.
      tts: { minAudioMs: 0 },
    });
    const session = await app.moduleRef.get(HamsaTtsService).openSession();
    const frames: Buffer[] = [];

    const startedAt = Date.now();
    const error = await within(
      3_000,
      'the utterance',
      rejectionOf(
        (async () => {
          for await (const frame of session.speak({ text, speaker: voice })) frames.push(frame);
        })(),
      ),
    );
    const lastedMs = Date.now() - startedAt;
    await within(2_000, 'the session to close', session.closed);

    expect(frames.length).toBeGreaterThan(3); // frames kept coming, each within timeoutMs
    expect(error).toBeInstanceOf(HamsaTimeoutError);
    expect((error as Error).message).toMatch(/did not end within 600 ms \(deadlineMs\)/);
    expect(lastedMs).toBeLessThan(2_000);
    expect(session.isOpen).toBe(false);
  });
});
