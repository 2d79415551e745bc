import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  HamsaError,
  HamsaVoiceNotFoundError,
  UnknownVoiceError,
  VoiceNotReadyError,
  VoicePreloadFailedError,
} from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  settled,
  sleep,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';
import { collect, text } from '../tts/tts-harness.js';
import { onDemand, preloadRequests, startProductionApp } from './production-app.js';

const [voiceA, voiceB] = [1, 2].map(fakeVoiceId);
/** A well-formed UUID that Hamsa does not know (the fake answers 404). */
const madeUp = fakeVoiceId(404);
const runtimeVoice = fakeVoiceId(3);

describe('on-demand voices (TTS speakers that were not configured)', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  /** A fake that knows only the configured voices (and `known`): any other UUID is a 404. */
  const startServer = (...known: string[]) =>
    harness.server({ voiceIds: [voiceA, voiceB, ...known], coldStartMs: 0 });

  describe('a made-up speaker does not take the pod out of rotation', () => {
    it('fails the call, lists the voice as on-demand, and leaves health, isAllReady, whenAllReady and the guard alone', async () => {
      const server = await startServer();
      const app = await startProductionApp(harness, server, { voiceIds: [voiceA, voiceB] });

      const error = await rejectionOf(app.tts.synthesize({ text, speaker: madeUp }));

      expect(error).toBeInstanceOf(VoicePreloadFailedError);
      expect((error as VoicePreloadFailedError).cause).toBeInstanceOf(HamsaVoiceNotFoundError);
      expect(server.requestsFor(madeUp)).toHaveLength(1);
      expect(server.ttsCalls).toHaveLength(0);
      expect(app.readiness.getAllStatuses()).toEqual([
        expect.objectContaining({ voiceId: voiceA, source: 'configured', state: 'ready' }),
        expect.objectContaining({ voiceId: voiceB, source: 'configured', state: 'ready' }),
        expect.objectContaining({ voiceId: madeUp, source: 'on-demand', state: 'failed' }),
      ]);
      expect(await app.health()).toMatchObject({
        status: 'up',
        readiness: 'ready',
        ready: 2,
        total: 2,
        voices: { [voiceA]: 'ready', [voiceB]: 'ready' },
      });
      expect(app.readiness.isAllReady()).toBe(true);
      await within(1_000, 'whenAllReady()', app.readiness.whenAllReady());
      expect(await app.guardedStatus()).toBe(200);
    });

    it('counts a voice added with preload() (runtime): health down while it loads or failed', async () => {
      const server = await startServer(runtimeVoice);
      server.script(runtimeVoice, { status: 200, delayMs: 300 });
      const app = await startProductionApp(harness, server, { voiceIds: [voiceA, voiceB] });

      const preloading = app.readiness.preload(runtimeVoice);
      expect(app.readiness.getStatus(runtimeVoice)).toMatchObject({ source: 'runtime' });
      await waitFor(() => server.requestsFor(runtimeVoice).length === 1, 'the preload request');

      expect(await app.health()).toMatchObject({
        status: 'down',
        ready: 2,
        total: 3,
        voices: { [runtimeVoice]: 'loading' },
      });
      expect(app.readiness.isAllReady()).toBe(false);
      expect(await app.guardedStatus()).toBe(503);

      await preloading;
      expect(await app.health()).toMatchObject({ status: 'up', ready: 3, total: 3 });
      expect(await app.guardedStatus()).toBe(200);

      // A runtime voice that Hamsa does not know: failed, and it still counts.
      expect(await rejectionOf(app.readiness.preload(madeUp))).toBeInstanceOf(
        HamsaVoiceNotFoundError,
      );
      expect(app.readiness.getStatus(madeUp)).toMatchObject({ source: 'runtime', state: 'failed' });
      expect(await app.health()).toMatchObject({
        status: 'down',
        ready: 3,
        total: 4,
        voices: { [madeUp]: 'failed' },
      });
      expect(app.readiness.isAllReady()).toBe(false);
      expect(await settled(app.readiness.whenAllReady())).toBeInstanceOf(VoicePreloadFailedError);
      expect(await app.guardedStatus()).toBe(503);
    });

    it('turns an on-demand voice passed to preload() into a runtime voice, which then counts', async () => {
      const server = await startServer();
      const app = await startProductionApp(harness, server, { voiceIds: [voiceA] });
      await rejectionOf(app.tts.synthesize({ text, speaker: madeUp }));
      expect(app.readiness.getStatus(madeUp)).toMatchObject({ source: 'on-demand' });
      expect(await app.health()).toMatchObject({ status: 'up', total: 1 });

      // Still unknown to Hamsa: the voice is now the application's own, and failed.
      await rejectionOf(app.readiness.preload(madeUp));
      expect(app.readiness.getStatus(madeUp)).toMatchObject({ source: 'runtime', state: 'failed' });
      expect(await app.health()).toMatchObject({ status: 'down', ready: 1, total: 2 });

      // Cloned meanwhile: preloaded again, ready, and counted.
      server.addVoice(madeUp);
      await app.readiness.preload(madeUp);
      expect(app.readiness.getStatus(madeUp)).toMatchObject({ source: 'runtime', state: 'ready' });
      expect(await app.health()).toMatchObject({ status: 'up', ready: 2, total: 2 });
      expect(server.requestsFor(madeUp)).toHaveLength(3);
    });
  });

  describe('an untrusted-speaker flood', () => {
    const SPEAKERS = 400;
    const MAX_VOICES = 50;

    // 20 callers: never more than 20 voices loading, so older failed ones are forgotten to make
    // room. 80 callers: all 50 slots hold voices still loading, so further speakers are turned away.
    it.each([
      { callers: 20, turnedAway: 'none' },
      { callers: 80, turnedAway: 'some' },
    ])(
      `$callers callers: tracks at most ${MAX_VOICES} on-demand voices, asks Hamsa at most once per speaker, rejects every call with a typed error, and stays healthy`,
      async ({ callers, turnedAway }) => {
        const server = await startServer();
        const app = await startProductionApp(harness, server, {
          voiceIds: [voiceA, voiceB],
          concurrency: 8,
          // Every speaker may be preloaded as far as the per-minute budget goes: maxVoices is tested.
          onDemandPreload: { maxVoices: MAX_VOICES, maxPreloadsPerMinute: SPEAKERS },
        });
        const configuredRequests = preloadRequests(server).length;
        let mostTracked = 0;
        let healthDown = 0;
        const countTracked = () => {
          mostTracked = Math.max(mostTracked, onDemand(app.readiness.getAllStatuses()).length);
        };
        // Checked at every transition, i.e. whenever the set of tracked voices can change.
        const subscription = app.readiness.changes$.subscribe(countTracked);
        const speakers = Array.from({ length: SPEAKERS }, () => randomUUID());
        const errors: unknown[] = [];

        const caller = async () => {
          for (let speaker = speakers.pop(); speaker; speaker = speakers.pop()) {
            errors.push(await rejectionOf(app.tts.synthesize({ text, speaker })));
            countTracked();
            if (!app.readiness.isAllReady()) healthDown++;
          }
        };
        await within(10_000, 'the flood', Promise.all(Array.from({ length: callers }, caller)));
        subscription.unsubscribe();

        expect(errors).toHaveLength(SPEAKERS);
        const unexpected = errors.filter(
          (error) =>
            !(error instanceof HamsaError) ||
            !(
              error instanceof VoicePreloadFailedError ||
              (error instanceof VoiceNotReadyError && error.reason === 'capacity')
            ),
        );
        expect(unexpected).toEqual([]);
        const capacity = errors.filter((error) => error instanceof VoiceNotReadyError).length;
        if (turnedAway === 'none') expect(capacity).toBe(0);
        else expect(capacity).toBeGreaterThan(0);
        expect(mostTracked).toBe(MAX_VOICES);
        expect(onDemand(app.readiness.getAllStatuses()).length).toBeLessThanOrEqual(MAX_VOICES);
        const floodRequests = preloadRequests(server).slice(configuredRequests);
        expect(floodRequests.length).toBeLessThanOrEqual(SPEAKERS);
        expect(floodRequests.length).toBe(SPEAKERS - capacity);
        expect(new Set(floodRequests.map((request) => request.voiceId)).size).toBe(
          floodRequests.length,
        );
        expect(server.ttsCalls).toHaveLength(0);
        expect(healthDown).toBe(0);
        expect(await app.health()).toMatchObject({ status: 'up', ready: 2, total: 2 });
        expect(await app.guardedStatus()).toBe(200);
      },
    );
  });

  describe('failedVoiceTtlMs', () => {
    const TTL_MS = 150;

    it('asks Hamsa once for a failed speaker within the TTL, and again after it', async () => {
      const server = await startServer();
      const app = await startProductionApp(harness, server, {
        voiceIds: [voiceA],
        onDemandPreload: { failedVoiceTtlMs: TTL_MS },
      });

      expect(await rejectionOf(app.tts.synthesize({ text, speaker: madeUp }))).toBeInstanceOf(
        VoicePreloadFailedError,
      );
      const again = await Promise.all(
        Array.from({ length: 19 }, () =>
          rejectionOf(app.tts.synthesize({ text, speaker: madeUp })),
        ),
      );
      expect(again.every((error) => error instanceof VoicePreloadFailedError)).toBe(true);
      expect(server.requestsFor(madeUp)).toHaveLength(1);

      await sleep(TTL_MS + 20);
      expect(await rejectionOf(app.tts.synthesize({ text, speaker: madeUp }))).toBeInstanceOf(
        VoicePreloadFailedError,
      );
      expect(server.requestsFor(madeUp)).toHaveLength(2);
      // The new failure starts a new TTL.
      await rejectionOf(app.tts.synthesize({ text, speaker: madeUp }));
      expect(server.requestsFor(madeUp)).toHaveLength(2);
      expect(server.ttsCalls).toHaveLength(0);
    });

    it('lets concurrent calls for one new speaker share one preload', async () => {
      const server = await startServer();
      const app = await startProductionApp(harness, server, { voiceIds: [voiceA] });

      const errors = await Promise.all(
        Array.from({ length: 20 }, () =>
          rejectionOf(app.tts.synthesize({ text, speaker: madeUp })),
        ),
      );

      expect(errors.every((error) => error instanceof VoicePreloadFailedError)).toBe(true);
      expect(server.requestsFor(madeUp)).toHaveLength(1);
    });
  });

  describe('onDemandPreload: false', () => {
    it('rejects an unconfigured UUID speaker at once with UnknownVoiceError, sending nothing', async () => {
      const server = await startServer();
      const app = await startProductionApp(harness, server, {
        voiceIds: [voiceA],
        onDemandPreload: false,
      });
      const before = server.requests.length;

      const synthesized = await rejectionOf(
        within(500, 'synthesize()', app.tts.synthesize({ text, speaker: madeUp })),
      );
      const streamed = await rejectionOf(
        within(500, 'stream()', collect(app.tts.stream({ text, speaker: voiceB }))),
      );

      expect(synthesized).toBeInstanceOf(UnknownVoiceError);
      expect(synthesized).toMatchObject({ voiceId: madeUp, reason: 'unknown' });
      expect(streamed).toBeInstanceOf(UnknownVoiceError);
      expect(server.requests).toHaveLength(before);
      expect(app.readiness.getStatus(madeUp)).toBeUndefined();
      expect(app.readiness.getStatus(voiceB)).toBeUndefined();
    });

    it('still speaks with built-in and configured speakers', async () => {
      const server = await startServer();
      const app = await startProductionApp(harness, server, {
        voiceIds: [voiceA],
        onDemandPreload: false,
      });

      await app.tts.synthesize({ text, speaker: 'Amjad' });
      await app.tts.synthesize({ text, speaker: voiceA });

      expect(server.ttsCalls.map((call) => call.speaker)).toEqual(['Amjad', voiceA]);
      expect(server.requestsFor(voiceA)).toHaveLength(1);
    });
  });
});
