import { describe, expect, it } from '@jest/globals';
import { type VoiceReadinessService } from '../lib/index.js';
import { fakeVoiceId } from '../lib/testing/index.js';
import { useHamsaHarness } from './support/hamsa-harness.js';

/** `count` distinct voice UUIDs, numbered from `first`. */
function voices(count: number, first = 1): string[] {
  return Array.from({ length: count }, (_unused, index) => fakeVoiceId(first + index));
}

/**
 * Highest number of voices in state `loading` at once, as seen on `changes$`: the preloader's
 * own limit, apart from the HTTP agent's `maxSockets`.
 */
function trackPeakLoading(readiness: VoiceReadinessService): () => number {
  const loading = new Set<string>();
  let peak = 0;
  readiness.changes$.subscribe(({ voiceId, state }) => {
    if (state === 'loading') loading.add(voiceId);
    else loading.delete(voiceId);
    peak = Math.max(peak, loading.size);
  });
  return () => peak;
}

function statesOf(readiness: VoiceReadinessService): string[] {
  return readiness.getAllStatuses().map((status) => status.state);
}

describe('preload concurrency', () => {
  const harness = useHamsaHarness();

  it('keeps at most `concurrency` preloads in flight, and uses them all', async () => {
    const server = await harness.server({ latencyMs: 50 });
    const app = await harness.compile(server, { voiceIds: voices(12), concurrency: 3 });
    const peakLoading = trackPeakLoading(app.readiness);

    await app.moduleRef.init();

    expect(app.readiness.isAllReady()).toBe(true);
    expect(server.requests).toHaveLength(12);
    expect(server.peakInFlight).toBe(3);
    expect(peakLoading()).toBe(3);
  });

  it('reuses keep-alive connections: no more than `concurrency` of them', async () => {
    const server = await harness.server({ latencyMs: 10 });

    await harness.start(server, { voiceIds: voices(12), concurrency: 3 });

    expect(server.requests).toHaveLength(12);
    expect(server.connectionCount).toBeGreaterThanOrEqual(1);
    expect(server.connectionCount).toBeLessThanOrEqual(3);
  });

  it('counts run-time preload() calls made during bootstrap against the same limit', async () => {
    const server = await harness.server({ latencyMs: 60 });
    const app = await harness.compile(server, {
      voiceIds: voices(6),
      concurrency: 2,
      waitForReady: false,
    });
    const peakLoading = trackPeakLoading(app.readiness);

    await app.moduleRef.init();
    // Bootstrap is still running: two voices loading, the other four queued.
    expect(statesOf(app.readiness)).toEqual(['loading', 'loading', ...Array(4).fill('pending')]);
    const runtime = voices(4, 100);
    await Promise.all([
      ...runtime.map((voiceId) => app.readiness.preload(voiceId)),
      app.readiness.whenAllReady(),
    ]);

    expect(statesOf(app.readiness)).toEqual(Array(10).fill('ready'));
    expect(server.requests).toHaveLength(10);
    expect(server.peakInFlight).toBe(2);
    expect(peakLoading()).toBe(2);
  });
});
