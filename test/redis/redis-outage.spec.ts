import { expect, it } from '@jest/globals';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { type HamsaTestApp } from '../support/hamsa-app.js';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';
import { freePort } from '../support/free-port.js';
import { useHamsaHarness, waitFor } from '../support/hamsa-harness.js';
import { peakPerSecond } from '../support/fleet/peak-per-second.js';
import { type Redis } from 'ioredis';

const voiceIds = Array.from({ length: 12 }, (_, n) => fakeVoiceId(n));
const UNAVAILABLE = 'Redis coordinator unavailable';
const BACK = 'Redis coordinator reachable again';

/** How many lines at `level` containing `text` the apps logged, together. */
function logged(apps: HamsaTestApp[], level: 'log' | 'warn', text: string): number {
  return apps.flatMap((app) => app.logger.messages(level)).filter((line) => line.includes(text))
    .length;
}

describeWithRedis('RedisHamsaCoordinator: Redis trouble never takes the app down', () => {
  const harness = useHamsaHarness();
  const redis = useRedis();

  it('Redis unreachable at start: the replica preloads alone at rateLimitPerSecond / expectedReplicas, says so once, and reports degraded', async () => {
    const server = await harness.server();
    const fleet = redis.fleet(
      {
        rateLimitPerSecond: 16,
        expectedReplicas: 2,
        sharePreloadsForMs: 60_000,
      },
      `redis://127.0.0.1:${await freePort()}`,
    );
    const app = await harness.start(server, { voiceIds, coordinator: fleet.coordinator() });

    expect(app.readiness.isAllReady()).toBe(true);
    expect(server.requests).toHaveLength(voiceIds.length);
    // Its share of the limit: 16 / 2 a second, not the 12 at once of a replica alone.
    expect(peakPerSecond(server.requests)).toBeLessThanOrEqual(8);
    expect(app.logger.messages('warn').filter((line) => line.includes(UNAVAILABLE))).toHaveLength(
      1,
    );
    expect(app.readiness.getCoordinatorState()).toBe('degraded');
  });

  it('Redis stopped mid-bootstrap and started again: every voice ready, paced alone at limit / 2 meanwhile, coordinating again after', async () => {
    const server = await harness.server();
    const fleet = redis.fleet({ keyPrefix: 'outage:', rateLimitPerSecond: 4 });
    const options = { voiceIds, deadlineMs: 20_000, waitForReady: false };
    const apps = await Promise.all(
      [1, 2].map(() => harness.start(server, { ...options, coordinator: fleet.coordinator() })),
    );
    await waitFor(() => server.requests.length >= 3, 'the first paced requests', 3_000);
    expect(apps[0].readiness.getCoordinatorState()).toBe('connected');

    await redis.server.stop();
    await Promise.all(apps.map((app) => app.readiness.whenAllReady()));
    // Paced by Redis, then each replica alone at 4 / 2 a second: never above the limit.
    expect(server.requests).toHaveLength(2 * voiceIds.length);
    expect(peakPerSecond(server.requests)).toBeLessThanOrEqual(4);
    for (const app of apps) expect(app.readiness.getCoordinatorState()).toBe('degraded');
    // Once per replica (Nest's static logger writes every app's lines to the last app's logger).
    expect(logged(apps, 'warn', UNAVAILABLE)).toBe(2);

    await redis.server.restart();
    await waitFor(
      () => fleet.clients.every((client) => client.status === 'ready'),
      'reconnected',
      5_000,
    );
    await apps[0].readiness.preload(fakeVoiceId(99));
    expect(apps[0].readiness.getCoordinatorState()).toBe('connected');
    expect(logged(apps, 'log', BACK)).toBe(1);
  }, 30_000);

  it('a Redis that stops answering costs a command timeout now and then, not the wait for it', async () => {
    const server = await harness.server();
    const fleet = redis.fleet({
      keyPrefix: 'paused:',
      rateLimitPerSecond: voiceIds.length,
      commandTimeoutMs: 200,
    });
    const coordinator = fleet.coordinator();
    await waitFor(() => fleet.clients[0].status === 'ready', 'connected', 3_000);
    const paused = (fleet.clients[0] as Redis).duplicate();
    try {
      // Every client's commands wait for 5 s.
      await paused.call('CLIENT', 'PAUSE', '5000', 'ALL');
      const startedAt = Date.now();
      const app = await harness.start(server, { voiceIds, coordinator });

      // Far less than the pause: no command was waited for beyond its timeout.
      expect(Date.now() - startedAt).toBeLessThan(3_500);
      expect(app.readiness.isAllReady()).toBe(true);
      expect(app.logger.messages('warn').filter((line) => line.includes(UNAVAILABLE))).toHaveLength(
        1,
      );
    } finally {
      paused.disconnect();
    }
  });
});
