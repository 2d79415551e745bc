import { runInThisContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import {
  HamsaTtsService,
  type HamsaVoiceModuleOptions,
  VoicePreloadFailedError,
  type VoiceStatus,
} from '../../lib/index.js';
import { type FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { type HamsaTestApp } from '../support/hamsa-app.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  sleep,
  useHamsaHarness,
  waitFor,
} from '../support/hamsa-harness.js';
import { text } from '../tts/tts-harness.js';

const voiceA = fakeVoiceId(1);
const realProcess = runInThisContext('process') as NodeJS.Process;

const RECOVERY_DELAY_MS = 50;
const unavailable = { status: 503 } as const;

/** Gaps in ms between successive request times. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((time, i) => time - times[i]);
}

/** TCP sockets of this process (client and server ends): keep-alive sockets included. */
function openSockets(): number {
  return realProcess.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;
}

/** Records every transition of the app's voices from now on. */
function recordTransitions(app: HamsaTestApp): VoiceStatus[] {
  const seen: VoiceStatus[] = [];
  app.readiness.changes$.subscribe((status) => seen.push(status));
  return seen;
}

describe('recovery of configured voices that failed', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  /** Every attempt of the startup preload fails with 503 (`retries: 1`: two requests). */
  const startupFails = (server: FakeHamsaServer, voiceId: string) =>
    server.script(voiceId, unavailable, unavailable);

  const options = (overrides: Partial<HamsaVoiceModuleOptions>) => ({
    voiceIds: [voiceA],
    retries: 1,
    retryDelayMs: 5,
    maxRetryDelayMs: 10,
    failOnError: false,
    recoveryDelayMs: RECOVERY_DELAY_MS,
    ...overrides,
  });

  describe('in the background (recoveryDelayMs)', () => {
    it.each([{ waitForReady: true }, { waitForReady: false }])(
      'waitForReady $waitForReady: preloads the voice again after recoveryDelayMs, the wait doubling, until it is ready',
      async ({ waitForReady }) => {
        const server = await harness.server();
        // Startup, then two recoveries, fail; the third recovery succeeds.
        startupFails(server, voiceA);
        server.script(voiceA, unavailable, unavailable, unavailable, unavailable);
        const app = await harness.start(server, options({ waitForReady }));

        await waitFor(() => app.readiness.isReady(voiceA), 'the voice to recover', 3_000);

        const times = server.requestsFor(voiceA).map((request) => request.receivedAt);
        expect(times).toHaveLength(7);
        // Requests 2-3, 4-5 and 6-7 are the waits between preloads; 1-2, 3-4, 5-6 a retry's backoff.
        const [first, second, third] = [1, 3, 5].map((i) => gaps(times)[i]);
        // Lower bounds only: a timer never fires early, but a busy machine may fire it late.
        expect(first).toBeGreaterThanOrEqual(RECOVERY_DELAY_MS - 5);
        expect(second).toBeGreaterThanOrEqual(2 * RECOVERY_DELAY_MS - 5);
        expect(third).toBeGreaterThanOrEqual(4 * RECOVERY_DELAY_MS - 5);
        expect(app.readiness.getStatus(voiceA)).toMatchObject({ source: 'configured' });
      },
    );

    it.each([
      { what: '404', server: { voiceIds: [] as string[] }, app: {} },
      { what: '401', server: {}, app: { apiKey: 'revoked-key' } },
    ])('does not preload a voice that failed with $what again', async (failure) => {
      const server = await harness.server(failure.server);
      const app = await harness.start(server, options({ recoveryDelayMs: 20, ...failure.app }));
      expect(app.readiness.getStatus(voiceA)?.state).toBe('failed');
      const requests = server.requests.length;
      const transitions = recordTransitions(app);

      await sleep(200); // 20 + 40 + 80 ms: three recoveries, were there any

      expect(server.requests).toHaveLength(requests);
      expect(transitions).toEqual([]);
      expect(app.readiness.getStatus(voiceA)?.state).toBe('failed');
    });

    it('is off with recoveryDelayMs: 0', async () => {
      const server = await harness.server();
      startupFails(server, voiceA);
      const app = await harness.start(server, options({ recoveryDelayMs: 0 }));
      const transitions = recordTransitions(app);

      await sleep(300);

      expect(server.requestsFor(voiceA)).toHaveLength(2);
      expect(transitions).toEqual([]);
      expect(app.readiness.getStatus(voiceA)?.state).toBe('failed');
    });

    it('stops at close while waiting: no request after, nothing left open', async () => {
      const socketsBefore = openSockets();
      const server = await harness.server();
      startupFails(server, voiceA);
      const app = await harness.start(server, options({ recoveryDelayMs: 100 }));

      await harness.close(app.moduleRef);
      await sleep(400); // 100 + 200 ms: two recoveries, were there any

      expect(server.requestsFor(voiceA)).toHaveLength(2);
      await waitFor(() => openSockets() <= socketsBefore, 'the keep-alive sockets to close');
    });

    it('stops at close while a recovery is in flight: the request is aborted, none follows', async () => {
      const socketsBefore = openSockets();
      const server = await harness.server();
      startupFails(server, voiceA);
      server.script(voiceA, { hang: true });
      const app = await harness.start(server, options({}));
      await waitFor(() => server.inFlight === 1, 'the recovery request to reach the server');

      await harness.close(app.moduleRef);

      await waitFor(() => server.inFlight === 0, 'the recovery request to be aborted');
      await sleep(4 * RECOVERY_DELAY_MS);
      expect(server.requestsFor(voiceA)).toHaveLength(3);
      await waitFor(() => openSockets() <= socketsBefore, 'the keep-alive sockets to close');
    });
  });

  describe('on a TTS call (recoveryDelayMs: 0, so only the call acts)', () => {
    const RETRY_DELAY_MS = 100;

    /** Voice A failed at startup with 503s; the fake answers normally from now on. */
    async function failedAtStartup(retries = 0) {
      const server = await harness.server({ coldStartMs: 0 });
      for (let attempt = 0; attempt <= retries; attempt++) server.script(voiceA, unavailable);
      const app = await harness.start(
        server,
        options({ retries, retryDelayMs: RETRY_DELAY_MS, recoveryDelayMs: 0 }),
      );
      expect(app.readiness.getStatus(voiceA)?.state).toBe('failed');
      return { server, app, tts: app.moduleRef.get(HamsaTtsService) };
    }

    it('within retryDelayMs of the failure, rejects without a preload', async () => {
      const { server, tts } = await failedAtStartup();

      const error = await rejectionOf(tts.synthesize({ text, speaker: voiceA }));

      expect(error).toBeInstanceOf(VoicePreloadFailedError);
      expect(server.requestsFor(voiceA)).toHaveLength(1);
      expect(server.ttsCalls).toHaveLength(0);
    });

    it('after retryDelayMs, preloads once and succeeds', async () => {
      const { server, app, tts } = await failedAtStartup();
      await sleep(RETRY_DELAY_MS);

      await tts.synthesize({ text, speaker: voiceA });

      expect(server.requestsFor(voiceA)).toHaveLength(2);
      expect(server.ttsCalls).toEqual([expect.objectContaining({ speaker: voiceA })]);
      expect(app.readiness.getStatus(voiceA)).toMatchObject({
        state: 'ready',
        source: 'configured',
      });
    });

    it('lets 10 concurrent calls share one preload request', async () => {
      const { server, tts } = await failedAtStartup();
      server.script(voiceA, { status: 200, delayMs: 50 });
      await sleep(RETRY_DELAY_MS);

      await Promise.all(
        Array.from({ length: 10 }, () => tts.synthesize({ text, speaker: voiceA })),
      );

      expect(server.requestsFor(voiceA)).toHaveLength(2);
      expect(server.ttsCalls).toHaveLength(10);
    });

    it('makes one attempt only while Hamsa still fails, whatever retries says', async () => {
      const { server, tts } = await failedAtStartup(3);
      server.script(voiceA, unavailable, unavailable, unavailable, unavailable);
      await sleep(RETRY_DELAY_MS);

      const error = await rejectionOf(tts.synthesize({ text, speaker: voiceA }));

      expect(error).toBeInstanceOf(VoicePreloadFailedError);
      expect(server.requestsFor(voiceA)).toHaveLength(5); // 4 at startup, 1 for the call
      expect(server.ttsCalls).toHaveLength(0);
    });

    it('never asks Hamsa again for a voice that failed with 404', async () => {
      const server = await harness.server({ voiceIds: [] });
      const app = await harness.start(
        server,
        options({ retries: 0, retryDelayMs: 10, recoveryDelayMs: 0 }),
      );
      const tts = app.moduleRef.get(HamsaTtsService);
      await sleep(50);

      const error = await rejectionOf(tts.synthesize({ text, speaker: voiceA }));

      expect(error).toBeInstanceOf(VoicePreloadFailedError);
      expect(server.requests).toHaveLength(1);
    });
  });
});
