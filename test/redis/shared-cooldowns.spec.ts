import { expect, it } from '@jest/globals';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';
import { FLEET, FLEET_IDEAL_MS, LINK_LINES, runFleetApart } from '../support/fleet/fleet-runs.js';
import { type HamsaTestApp } from '../support/hamsa-app.js';
import { sleep, useHamsaHarness } from '../support/hamsa-harness.js';

const { instances, voices, rateLimitPerSecond } = FLEET;
const voiceIds = [1, 2, 3].map(fakeVoiceId);
/** Requests already on their way when the 429 came back are not paused. */
const IN_FLIGHT_MS = 50;

/** How many cooldown lines the apps logged (Nest's static logger: all in one app's logger). */
function cooldownLines(apps: HamsaTestApp[]): number {
  return apps
    .flatMap((app) => app.logger.messages('warn'))
    .filter((line) => line.includes(LINK_LINES.cooldown)).length;
}

describeWithRedis('RedisHamsaCoordinator: fleet-wide cooldowns (shareCooldowns)', () => {
  const harness = useHamsaHarness();
  const redis = useRedis();

  /** Replicas coordinating on Redis with `shareCooldowns` as given (and no shared limit). */
  function fleetOf(shareCooldowns: boolean) {
    return redis.fleet({ keyPrefix: `cooldown-${shareCooldowns}:`, shareCooldowns });
  }

  /**
   * A replica meets a 429 (Retry-After: 1 s) for its voice; 200 ms later two more replicas start,
   * each with a voice of its own: when does Hamsa hear from them?
   */
  async function othersAfter429(shareCooldowns: boolean) {
    const server = await harness.server();
    server.script(voiceIds[0], { status: 429, headers: { 'retry-after': '1' } });
    const fleet = fleetOf(shareCooldowns);
    const options = { waitForReady: false, deadlineMs: 10_000 };
    const first = await harness.start(server, {
      ...options,
      voiceIds: [voiceIds[0]],
      coordinator: fleet.coordinator(),
    });
    await sleep(200);
    const others = await Promise.all(
      voiceIds.slice(1).map((voiceId) =>
        harness.start(server, {
          ...options,
          voiceIds: [voiceId],
          coordinator: fleet.coordinator(),
        }),
      ),
    );
    await Promise.all([first, ...others].map((app) => app.readiness.whenAllReady()));
    const [rejected, ...later] = server.requests;
    const othersFirst = voiceIds
      .slice(1)
      .map((voiceId) => later.find((request) => request.voiceId === voiceId)!.receivedAt);
    return { waitedMs: Math.min(...othersFirst) - rejected.receivedAt, apps: [first, ...others] };
  }

  it('a 429 met by one replica pauses every replica until its Retry-After has passed', async () => {
    const { waitedMs, apps } = await othersAfter429(true);

    expect(waitedMs).toBeGreaterThanOrEqual(900);
    expect(cooldownLines(apps)).toBe(1);
  });

  it('shareCooldowns: false: only the replica that met the 429 waits, nothing logged', async () => {
    const { waitedMs, apps } = await othersAfter429(false);

    expect(waitedMs).toBeLessThan(900);
    expect(cooldownLines(apps)).toBe(0);
  });

  it('three replicas meeting 429s at once: one cooldown, one log line', async () => {
    const server = await harness.server();
    for (const voiceId of voiceIds) {
      server.script(voiceId, { status: 429, headers: { 'retry-after': '1' } });
    }
    const fleet = fleetOf(true);
    const apps = await Promise.all(
      voiceIds.map((voiceId) =>
        harness.start(server, { voiceIds: [voiceId], coordinator: fleet.coordinator() }),
      ),
    );

    const [first, ...rest] = server.requests.map((request) => request.receivedAt);
    expect(rest.slice(0, 2).every((at) => at - first < IN_FLIGHT_MS)).toBe(true);
    expect(rest.slice(2).every((at) => at - first >= 900)).toBe(true);
    expect(cooldownLines(apps)).toBe(1);
  });

  it(
    `${instances} × ${voices} configured for ${rateLimitPerSecond * 2}/s against an account ` +
      `limited to ${rateLimitPerSecond}/s: at most 10 % of requests answered 429, all ready ` +
      'within 1.3 × T',
    async () => {
      const result = await runFleetApart(redis.server.url, {
        keyPrefix: 'over:',
        rateLimitPerSecond: rateLimitPerSecond * 2,
      });
      expect(result).toMatchObject({ ready: instances * voices, failed: 0 });
      expect(result.rateLimited).toBeLessThanOrEqual(result.requests * 0.1);
      expect(result.tookMs).toBeLessThanOrEqual(FLEET_IDEAL_MS * 1.3);
      // One line per cooldown, not one per replica that met a 429.
      expect(result.logs[LINK_LINES.cooldown]).toBeGreaterThanOrEqual(1);
      expect(result.logs[LINK_LINES.cooldown]).toBeLessThanOrEqual(result.rateLimited);
    },
    FLEET_IDEAL_MS * 3,
  );
});
