import { expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { runReplicasApart } from '../support/fleet/remote-replicas.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';
import { useHamsaHarness, waitFor } from '../support/hamsa-harness.js';
import { RedisFleet } from '../support/fleet/redis-fleet.js';

const voice = fakeVoiceId(1);
const SHARE = { sharePreloadsForMs: 60_000 };
/** A lease lasts `requestTimeoutMs` + 1 s: a replica that woke only when it lapsed would be late. */
const REQUEST_TIMEOUT_MS = 4_000;

describeWithRedis('RedisHamsaCoordinator: shared preloads (sharePreloadsForMs)', () => {
  const harness = useHamsaHarness();
  const redis = useRedis();

  function fleet(keyPrefix: string, options = {}): RedisFleet {
    return redis.fleet({ keyPrefix, ...SHARE, ...options });
  }

  it('20 instances × 25 voices: 25 preload requests reach Hamsa, not 500, all voices ready', async () => {
    const result = await runReplicasApart({
      instances: 20,
      voices: 25,
      rateLimitPerSecond: 20,
      options: { concurrency: 4, retries: 10, deadlineMs: 30_000, waitForReady: false },
      redis: {
        connection: redis.server.url,
        options: { keyPrefix: 'share-all:', ...SHARE, rateLimitPerSecond: 20 },
      },
    });
    expect(result).toMatchObject({ ready: 500, failed: 0, requests: 25, rateLimited: 0 });
  }, 30_000);

  it('the others wait for the holder and are ready at its announcement, without a request', async () => {
    const server = await harness.server({ latencyMs: 300 });
    const replicas = fleet('announce:');
    const options = { voiceIds: [voice], requestTimeoutMs: REQUEST_TIMEOUT_MS };
    const apps = await Promise.all(
      [1, 2, 3, 4].map(() =>
        harness.start(server, { ...options, coordinator: replicas.coordinator() }),
      ),
    );

    const readyAt = apps.map((app) => app.readiness.getStatus(voice)?.readyAt?.getTime() ?? NaN);
    expect(server.requestsFor(voice)).toHaveLength(1);
    // Woken by the announcement, not by the holder's lease lapsing (5 s after it was taken).
    expect(Math.max(...readyAt) - Math.min(...readyAt)).toBeLessThan(1_000);
    const shared = apps.flatMap((app) => app.logger.messages('log'));
    expect(shared.filter((line) => line.includes('preloaded by another replica'))).toHaveLength(3);
  });

  it('a holder closed mid-preload gives the voice up at once: another replica preloads it', async () => {
    const server = await harness.server();
    server.script(voice, { hang: true });
    const replicas = fleet('closed-holder:');
    const options = {
      voiceIds: [voice],
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      waitForReady: false,
    };
    const holder = await harness.start(server, { ...options, coordinator: replicas.coordinator() });
    await waitFor(() => server.requestsFor(voice).length === 1, 'the holder sends', 2_000);
    const other = await harness.start(server, { ...options, coordinator: replicas.coordinator() });

    const closedAt = Date.now();
    await harness.close(holder.moduleRef);
    await other.readiness.whenReady(voice);

    expect(Date.now() - closedAt).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(server.requestsFor(voice)).toHaveLength(2);
  });

  it('a holder that never settles loses the voice when its lease lapses', async () => {
    const server = await harness.server();
    const replicas = fleet('hung-holder:');
    const client = new Redis(redis.server.url);
    try {
      // A replica that took the lease for 500 ms, then hung (or died) without a word.
      await client.set(`hung-holder:voice:{${voice}}:lease`, 'gone', 'PX', 500);
      const startedAt = Date.now();
      const app = await harness.start(server, {
        voiceIds: [voice],
        coordinator: replicas.coordinator(),
      });

      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(450);
      expect(app.readiness.isReady(voice)).toBe(true);
      expect(server.requestsFor(voice)).toHaveLength(1);
    } finally {
      client.disconnect();
    }
  });

  it('a failure is not shared: the next replica tries for itself', async () => {
    const server = await harness.server();
    server.script(voice, { status: 404 });
    const replicas = fleet('failure:');
    const options = { voiceIds: [voice], waitForReady: false };
    const first = await harness.start(server, { ...options, coordinator: replicas.coordinator() });
    await expect(first.readiness.whenReady(voice)).rejects.toThrow();
    const second = await harness.start(server, { ...options, coordinator: replicas.coordinator() });

    await second.readiness.whenReady(voice);
    expect(server.requestsFor(voice)).toHaveLength(2);
  });

  it('fleets with different key prefixes share nothing', async () => {
    const server = await harness.server();
    const [blue, green] = [fleet('blue:'), fleet('green:')];
    for (const replicas of [blue, green, blue, green]) {
      await harness.start(server, { voiceIds: [voice], coordinator: replicas.coordinator() });
    }
    expect(server.requestsFor(voice)).toHaveLength(2);
  });
});
