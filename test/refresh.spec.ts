import { describe, expect, it } from '@jest/globals';
import { HamsaTtsService, VoicePreloadFailedError, type VoiceState } from '../lib/index.js';
import { type FakeHamsaServer, fakeVoiceId } from '../lib/testing/index.js';
import { type HamsaTestApp } from './support/hamsa-app.js';
import { rejectionOf, sleep, useHamsaHarness, waitFor } from './support/hamsa-harness.js';

const [voiceA, voiceB] = [1, 2].map(fakeVoiceId);
/** Short enough to see several refreshes in a test, long enough for a loaded machine. */
const INTERVAL_MS = 100;

describe('keep-warm refresh (refreshIntervalMs)', () => {
  const harness = useHamsaHarness();

  /** Starts with every voice ready (blocking bootstrap) and refreshing on. */
  async function startWarm(voiceIds: string[]) {
    const server = await harness.server();
    const app = await harness.start(server, { voiceIds, refreshIntervalMs: INTERVAL_MS });
    const transitions: [string, VoiceState][] = [];
    app.readiness.changes$.subscribe(({ voiceId, state }) => transitions.push([voiceId, state]));
    return { server, app, transitions };
  }

  function requestsFor(server: FakeHamsaServer, voiceId: string): number {
    return server.requestsFor(voiceId).length;
  }

  function warnings(app: HamsaTestApp): string[] {
    return app.logger.messages('warn');
  }

  it('is off by default: a ready voice is preloaded once', async () => {
    const server = await harness.server();
    await harness.start(server, { voiceIds: [voiceA] });

    await sleep(4 * INTERVAL_MS);

    expect(server.requests).toHaveLength(1);
  });

  it('re-preloads each ready voice every 80-100 % of the interval, staying ready throughout', async () => {
    const { server, app, transitions } = await startWarm([voiceA, voiceB]);

    await waitFor(() => requestsFor(server, voiceA) >= 4, 'three refreshes of A', 3_000);

    const times = server.requestsFor(voiceA).map((request) => request.receivedAt);
    const gaps = times.slice(1).map((time, i) => time - times[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(0.8 * INTERVAL_MS - 5);
    expect(requestsFor(server, voiceB)).toBeGreaterThanOrEqual(2);
    expect(transitions).toEqual([]);
    expect(app.readiness.getStatus(voiceA)).toMatchObject({ state: 'ready', attempts: 1 });
    expect(app.readiness.getStatus(voiceA)?.refreshedAt).toBeInstanceOf(Date);
  });

  it("refreshes a runtime voice, and never an on-demand one (a TTS caller's speaker)", async () => {
    const { server, app } = await startWarm([voiceA]);
    const [runtime, onDemand] = [fakeVoiceId(7), fakeVoiceId(8)];
    await app.readiness.preload(runtime);
    await app.moduleRef.get(HamsaTtsService).synthesize({ text: 'مرحبا', speaker: onDemand });

    await waitFor(
      () => requestsFor(server, runtime) >= 3,
      'two refreshes of the runtime voice',
      3_000,
    );

    expect(app.readiness.getStatus(onDemand)).toMatchObject({
      state: 'ready',
      source: 'on-demand',
    });
    expect(requestsFor(server, onDemand)).toBe(1);
  });

  it('keeps a voice ready while its refresh is slow', async () => {
    const { server, app, transitions } = await startWarm([voiceA]);
    server.setLatency(3 * INTERVAL_MS);

    await waitFor(() => server.inFlight === 1, 'a refresh to be in flight', 2_000);

    expect(app.readiness.isReady(voiceA)).toBe(true);
    await waitFor(() => requestsFor(server, voiceA) >= 3, 'the next refresh', 3_000);
    expect(app.readiness.isReady(voiceA)).toBe(true);
    expect(transitions).toEqual([]);
  });

  it.each([
    ['a 503', { status: 503 }],
    ['a reset connection', { reset: true as const }],
    ['a 429', { status: 429 }],
  ])(
    'logs a refresh failed with %s, keeps the voice ready and tries again next interval',
    async (_label, step) => {
      const { server, app, transitions } = await startWarm([voiceA]);
      server.script(voiceA, step);

      await waitFor(() => requestsFor(server, voiceA) >= 3, 'the failure and the next try', 3_000);

      const [, failedAt, retriedAt] = server.requestsFor(voiceA).map((r) => r.receivedAt);
      expect(retriedAt - failedAt).toBeGreaterThanOrEqual(0.8 * INTERVAL_MS - 5);
      expect(app.readiness.isReady(voiceA)).toBe(true);
      expect(transitions).toEqual([]);
      expect(warnings(app)).toEqual([
        expect.stringMatching(
          new RegExp(`^voice ${voiceA}: refresh failed \\(Hamsa\\w+Error: .*\\); it stays ready`),
        ),
      ]);
    },
  );

  it('gives up a hanging refresh after requestTimeoutMs, keeping the voice ready', async () => {
    const server = await harness.server();
    const app = await harness.start(server, {
      voiceIds: [voiceA],
      refreshIntervalMs: INTERVAL_MS,
      requestTimeoutMs: 150,
    });
    server.script(voiceA, { hang: true });

    await waitFor(() => requestsFor(server, voiceA) >= 3, 'the timeout and the next try', 3_000);

    expect(app.readiness.isReady(voiceA)).toBe(true);
    expect(warnings(app)).toEqual([
      expect.stringContaining('refresh failed (HamsaTimeoutError: Refresh of voice'),
    ]);
  });

  it('fails a voice that Hamsa says no longer exists (404), and stops refreshing it', async () => {
    const { server, app, transitions } = await startWarm([voiceA, voiceB]);
    server.script(voiceA, { status: 404 });

    await waitFor(() => app.readiness.getStatus(voiceA)?.state === 'failed', 'A to fail', 3_000);

    expect(app.readiness.getStatus(voiceA)?.error).toMatchObject({
      name: 'HamsaVoiceNotFoundError',
      status: 404,
    });
    const error = await rejectionOf(app.readiness.whenReady(voiceA));
    expect(error).toBeInstanceOf(VoicePreloadFailedError);
    expect(transitions).toEqual([[voiceA, 'failed']]);
    expect(app.logger.messages('error')).toEqual([
      expect.stringContaining(`voice ${voiceA} failed to refresh: HamsaVoiceNotFoundError`),
    ]);
    const sentToA = requestsFor(server, voiceA);
    await waitFor(() => requestsFor(server, voiceB) >= 4, 'B to keep refreshing', 3_000);
    expect(requestsFor(server, voiceA)).toBe(sentToA);
    expect(app.readiness.isReady(voiceB)).toBe(true);
  });

  it('fails every voice, logged once, when Hamsa rejects the key (401) during a refresh', async () => {
    const { server, app } = await startWarm([voiceA, voiceB]);
    server.script(voiceA, { status: 401 }).script(voiceB, { status: 401 });

    await waitFor(() => !app.readiness.isReady(voiceA) && !app.readiness.isReady(voiceB), 'both');

    for (const voiceId of [voiceA, voiceB]) {
      expect(app.readiness.getStatus(voiceId)).toMatchObject({
        state: 'failed',
        error: { name: 'HamsaAuthenticationError', status: 401 },
      });
    }
    const errors = app.logger.messages('error');
    expect(errors).toEqual([expect.stringMatching(/^Hamsa rejected the API key \(401\)/)]);
    const sent = server.requests.length;
    await sleep(3 * INTERVAL_MS);
    expect(server.requests).toHaveLength(sent);
  });

  it('refreshes a voice that became ready later, through preload()', async () => {
    const { server, app } = await startWarm([voiceA]);

    await app.readiness.preload(voiceB);

    await waitFor(() => requestsFor(server, voiceB) >= 3, 'B to be refreshed', 3_000);
  });

  it('clears pending refreshes and aborts one in flight at shutdown', async () => {
    const { server, app } = await startWarm([voiceA, voiceB]);
    server.script(voiceA, { hang: true });
    await waitFor(() => server.inFlight === 1, 'the refresh of A to hang', 2_000);

    const startedAt = Date.now();
    await app.moduleRef.close();

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await waitFor(() => server.inFlight === 0, 'the hanging refresh to be aborted');
    const sent = server.requests.length;
    await sleep(3 * INTERVAL_MS);
    expect(server.requests).toHaveLength(sent);
  });
});
