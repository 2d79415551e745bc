import { expect, it } from '@jest/globals';
import { type Cluster } from 'ioredis';
import { type RedisHamsaCoordinator } from '../../lib/redis/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { describeWithRedisCluster, useRedisCluster } from '../support/describe-with-redis.js';
import { expectPacedFleet } from '../support/fleet/fleet-expectations.js';
import { FLEET, FLEET_IDEAL_MS, LINK_LINES, runFleetApart } from '../support/fleet/fleet-runs.js';
import { refreshesOver } from '../support/fleet/keep-warm-count.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';
import { pollUntil } from '../support/redis-process.js';

const voiceIds = Array.from({ length: 6 }, (_, n) => fakeVoiceId(n));
const PREFIX = 'slots:';
const SHARE_MS = 60_000;
const REFRESH_MS = 300;

/** Every key of the prefix on every primary, with its time to live (ms). */
async function keysOf(cluster: Cluster): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  for (const node of cluster.nodes('master')) {
    for (const key of await node.keys(`${PREFIX}*`)) keys.set(key, await node.pttl(key));
  }
  return keys;
}

/** The hash slot of each key name, as the cluster computes it. */
function slotsOf(cluster: Cluster, keys: string[]): Promise<number[]> {
  return Promise.all(
    keys.map(async (key) => Number(await cluster.call('CLUSTER', 'KEYSLOT', key))),
  );
}

describeWithRedisCluster('RedisHamsaCoordinator on a Redis Cluster (3 primaries)', () => {
  const harness = useHamsaHarness();
  const redis = useRedisCluster();

  it('each script keeps its keys in one hash slot, voices spread over slots, every key expires', async () => {
    const server = await harness.server();
    const fleet = redis.fleet({
      keyPrefix: PREFIX,
      rateLimitPerSecond: 50,
      sharePreloadsForMs: SHARE_MS,
    });
    const coordinators: RedisHamsaCoordinator[] = [];
    const options = { voiceIds, refreshIntervalMs: REFRESH_MS };
    const apps = [];
    for (const _ of [1, 2]) {
      coordinators.push(fleet.coordinator());
      apps.push(await harness.start(server, { ...options, coordinator: coordinators.at(-1) }));
    }
    // A 429 (of a voice whose send Redis no longer knows: no limit learned): the cooldown key.
    coordinators[0].reportRateLimited(fakeVoiceId(99), 5_000);
    const cluster = fleet.clients[0] as Cluster;
    await pollUntil(
      'the cooldown',
      async () => (await cluster.exists(`${PREFIX}{fleet}:cooldown`)) === 1,
      2_000,
    );
    await pollUntil(
      'a refresh turn',
      async () => [...(await keysOf(cluster)).keys()].some((key) => key.endsWith(':refresh')),
      3_000,
    );
    const keys = await keysOf(cluster);

    // The fleet-wide keys: one slot, as scripts use several of them at once.
    const fleetKeys = ['rate-limit', 'sends', 'replicas', 'cooldown', 'learned-limit'].map(
      (name) => `${PREFIX}{fleet}:${name}`,
    );
    expect(new Set(await slotsOf(cluster, fleetKeys)).size).toBe(1);
    // Each voice's keys in one slot of its own: six voices, six slots.
    const voiceKeys = (voiceId: string) =>
      ['preloaded', 'lease', 'refresh'].map((name) => `${PREFIX}voice:{${voiceId}}:${name}`);
    const voiceSlots = await Promise.all(
      voiceIds.map(async (voiceId) => new Set(await slotsOf(cluster, voiceKeys(voiceId)))),
    );
    for (const slots of voiceSlots) expect(slots.size).toBe(1);
    expect(new Set(voiceSlots.map((slots) => [...slots][0])).size).toBe(voiceIds.length);

    // Which keys exist (a refresh turn's key only during its turn; leases only during a preload).
    const lasting = [
      ...fleetKeys.slice(0, 4),
      ...voiceIds.map((voiceId) => `${PREFIX}voice:{${voiceId}}:preloaded`),
    ];
    expect([...keys.keys()].filter((key) => !key.endsWith(':refresh')).sort()).toEqual(
      lasting.sort(),
    );
    // Nothing kept forever.
    const ttl = (key: string) => keys.get(key) ?? NaN;
    for (const key of keys.keys()) expect(ttl(key)).toBeGreaterThan(0);
    expect(ttl(`${PREFIX}{fleet}:replicas`)).toBeLessThanOrEqual(60_000);
    expect(ttl(`${PREFIX}{fleet}:cooldown`)).toBeLessThanOrEqual(5_000);
    expect(ttl(`${PREFIX}{fleet}:sends`)).toBeLessThanOrEqual(2_050);
    expect(ttl(`${PREFIX}{fleet}:rate-limit`)).toBeLessThanOrEqual(2_050);
    expect(ttl(`${PREFIX}voice:{${voiceIds[0]}}:preloaded`)).toBeLessThanOrEqual(SHARE_MS);

    for (const app of apps) {
      expect(app.readiness.getCoordinatorState()).toBe('connected');
      expect(
        app.logger.messages('warn').filter((line) => line.includes(LINK_LINES.degraded)),
      ).toEqual([]);
    }
  });

  it(
    `${FLEET.instances} instances × ${FLEET.voices} voices at ${FLEET.rateLimitPerSecond}/s: ` +
      'no 429, no second above the limit, all ready within 1.1 × T, as on one Redis',
    async () => {
      const connection = { cluster: redis.server.nodes };
      const result = await runFleetApart(connection, {
        keyPrefix: 'paced:',
        rateLimitPerSecond: FLEET.rateLimitPerSecond,
      });
      expectPacedFleet(result);
      expect(result.logs[LINK_LINES.degraded]).toBe(0);
    },
    FLEET_IDEAL_MS * 2,
  );

  it('shared preloads: one request per voice for the whole fleet', async () => {
    const result = await runFleetApart(
      { cluster: redis.server.nodes },
      {
        keyPrefix: 'shared:',
        rateLimitPerSecond: FLEET.rateLimitPerSecond,
        sharePreloadsForMs: SHARE_MS,
      },
    );
    expect(result).toMatchObject({ ready: 500, failed: 0, requests: FLEET.voices, rateLimited: 0 });
  }, 30_000);

  it('keep-warm: each voice refreshed about once per interval for the whole fleet', async () => {
    const coordinated = await refreshesOver(harness, redis.fleet({ keyPrefix: 'keep-warm:' }));
    // 5 intervals: 4 replicas alone would refresh 5-6 times each (fleet-keep-warm.spec.ts).
    expect(coordinated).toBeGreaterThanOrEqual(3);
    expect(coordinated).toBeLessThanOrEqual(8);
  });
});
