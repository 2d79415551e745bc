import { setTimeout as sleep } from 'node:timers/promises';
import { type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { type RedisHamsaCoordinatorOptions } from '../../lib/redis/index.js';
import { type SectionReport, type TargetCheck } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { times } from '../support/format.js';
import {
  type ReplicaResult,
  type ReplicaScenario,
  runReplicas,
} from '../../test/support/fleet/replicas.js';
import {
  type RedisConnection,
  RedisFleet,
  withRedis,
  withRedisCluster,
  withRedisSentinel,
} from '../../test/support/fleet/redis-fleet.js';

const CONCURRENCY = 4;
/** docs/fleet.md's bound for a rollout: every voice ready within 1.5 × the ideal time. */
const MAX_RATIO = 1.5;

type Row = [label: string, result: ReplicaResult];

/**
 * Many replicas, one rate limit: instances × voices preloads against one fake Hamsa limited to
 * `rateLimitPerSecond`, without `startupJitterMs` and with it at 1× and 1.25× the ideal time; then
 * coordinated through Redis: one server, a 3-primary Cluster, Sentinel with its primary killed at
 * T/3, one server stopped at T/3, and a fleet configured for twice the account's limit with and
 * without `shareCooldowns`.
 */
export async function benchReplicas(settings: BenchSettings): Promise<SectionReport> {
  const { instances, voices, rateLimitPerSecond } = settings.replicas;
  const idealMs = ((instances * voices) / rateLimitPerSecond) * 1000;
  /** docs/fleet.md's sizing for a rollout: patient enough to outlast the account's queue. */
  const patient: Partial<HamsaVoiceModuleOptions> = {
    concurrency: CONCURRENCY,
    retries: 100,
    deadlineMs: Math.round(idealMs * 1.5 + 15_000),
    waitForReady: false,
  };
  const scenario: ReplicaScenario = { instances, voices, rateLimitPerSecond, options: patient };
  const results: Row[] = [];
  for (const [label, jitter] of [
    ['no jitter', 0],
    [`jitter \`${idealMs}\` (1 × T)`, idealMs],
    [`jitter \`${idealMs * 1.25}\` (1.25 × T)`, idealMs * 1.25],
  ] as const) {
    const options = { ...patient, startupJitterMs: jitter };
    results.push([label, await runReplicas({ ...scenario, options })]);
  }

  /** The scenario with every instance coordinating on `connection`; `incident` at T/3. */
  const coordinated = async (
    connection: RedisConnection,
    options: RedisHamsaCoordinatorOptions,
    incident?: () => Promise<void>,
  ): Promise<ReplicaResult> => {
    const fleet = new RedisFleet(connection, { rateLimitPerSecond, ...options });
    const incidentDone = incident && sleep(idealMs / 3).then(incident);
    try {
      return await runReplicas({ ...scenario, coordinator: fleet.coordinator });
    } finally {
      await incidentDone;
      await fleet.close();
    }
  };
  const over = { rateLimitPerSecond: rateLimitPerSecond * 2 };
  const skipped: string[] = [];
  const rows = async (kind: string, run: Promise<{ rows: Row[]; skipped?: string }>) => {
    const { rows, skipped: why } = await run;
    if (why) skipped.push(`${kind} rows skipped (${why})`);
    return rows;
  };
  const single = await rows(
    'Redis',
    withRedis(async (redis) => [
      ['`RedisHamsaCoordinator`', await coordinated(redis.url, { keyPrefix: 'paced:' })],
      [
        '`RedisHamsaCoordinator` + shared preloads',
        await coordinated(redis.url, { keyPrefix: 'shared:', sharePreloadsForMs: 60_000 }),
      ],
      [
        'Redis stopped at T/3',
        await coordinated(redis.url, { keyPrefix: 'stopped:' }, () => redis.stop()).finally(() =>
          redis.restart(),
        ),
      ],
      [
        `configured ${over.rateLimitPerSecond}/s (2 × the account), \`shareCooldowns\``,
        await coordinated(redis.url, { keyPrefix: 'over:', ...over }),
      ],
      [
        `configured ${over.rateLimitPerSecond}/s, \`shareCooldowns: false\``,
        await coordinated(redis.url, { keyPrefix: 'over-alone:', ...over, shareCooldowns: false }),
      ],
    ]),
  );
  const cluster = await rows(
    'Cluster',
    withRedisCluster(async (nodes) => [
      ['Redis Cluster (3 primaries)', await coordinated({ cluster: nodes.nodes }, {})],
    ]),
  );
  const sentinel = await rows(
    'Sentinel',
    withRedisSentinel(async (set) => [
      [
        'Sentinel, primary killed at T/3',
        await coordinated({ sentinels: set.sentinels, name: set.name }, {}, () =>
          set.killPrimary(),
        ),
      ],
    ]),
  );
  results.push(...single, ...cluster, ...sentinel);
  // docs/fleet.md's bound is for a rollout: not for a Redis outage (whose first sends alone wait
  // up to two windows, 2.1 s, however short T is), nor for today's behaviour shown for comparison.
  const notRollouts = new Set([single[2], single[4], ...sentinel].map((row) => row?.[1]));
  const worst = Math.max(
    ...results
      .filter(([, result]) => !notRollouts.has(result))
      .map(([, result]) => result.tookMs / result.idealMs),
  );
  const allReady = results.every(([, result]) => result.failed === 0);
  return {
    title: '[replicas] Many replicas, one rate limit',
    description:
      `${instances} app instances × ${voices} voices against one fake Hamsa (in its own process) ` +
      `limited to ${rateLimitPerSecond} preloads/s (T = ${idealMs / 1000} s), \`concurrency\` ` +
      `${CONCURRENCY}, as docs/fleet.md sizes them; the coordinator rows use ` +
      `\`rateLimitPerSecond: ${rateLimitPerSecond}\` (the "configured" ones twice that) on ` +
      'redis-servers of their own: one, a Cluster of 3 primaries, or a primary, a replica and 3 ' +
      'sentinels.' +
      (skipped.length > 0 ? ` ${skipped.join('; ')}.` : ''),
    table: [
      [
        'replicas',
        'time (× T)',
        'peak received/s (× limit)',
        'peak accepted/s',
        '429s',
        'requests',
        'ready',
        'ready spread',
      ],
      ...results.map(([label, result]) => [
        label,
        `${(result.tookMs / 1000).toFixed(1)} s (${times(result.tookMs / result.idealMs)})`,
        `${result.peakReceivedPerSecond} (${times(result.peakReceivedPerSecond / rateLimitPerSecond)})`,
        String(result.peakAcceptedPerSecond),
        String(result.rateLimited),
        String(result.requests),
        `${result.ready}/${result.ready + result.failed}`,
        `${result.readySpreadMs} ms`,
      ]),
    ],
    targets: [
      {
        name: 'replicas: every voice ready within 1.5 × T (docs/fleet.md)',
        target: `≤ ${MAX_RATIO}× T, all ready`,
        measured: `worst ${times(worst)}${allReady ? ', all ready' : ', some failed'}`,
        met: worst <= MAX_RATIO && allReady,
      },
      ...singleTargets(single, rateLimitPerSecond, voices),
      ...cluster.map(([, result]) => pacedTarget('Redis Cluster', result, rateLimitPerSecond)),
      ...sentinel.map(([, result]) => failoverTarget(result, rateLimitPerSecond)),
    ],
  };
}

/** The targets of the rows on one redis-server (none when they were skipped). */
function singleTargets(rows: Row[], limit: number, voices: number): TargetCheck[] {
  if (rows.length === 0) return [];
  const [paced, shared, stopped, over] = rows.map(([, result]) => result);
  return [
    pacedTarget('coordinator', paced, limit),
    {
      name: 'replicas: shared preloads, the others ready within 100 ms of the holder',
      target: '≤ 100 ms',
      measured: `${shared.readySpreadMs} ms`,
      met: shared.readySpreadMs <= 100,
    },
    {
      name: 'replicas: shared preloads, one request per voice for the fleet',
      target: `${voices} requests`,
      measured: `${shared.requests} requests`,
      met: shared.requests === voices,
    },
    {
      name: 'replicas: Redis stopped at T/3, ≤ 1.2 × the limit in any second, all ready',
      target: `≤ ${limit * 1.2}/s, all ready`,
      measured: `${stopped.peakReceivedPerSecond}/s, ${stopped.ready} ready, ${stopped.failed} failed`,
      met: stopped.failed === 0 && stopped.peakReceivedPerSecond <= limit * 1.2,
    },
    {
      name: 'replicas: configured at 2 × the limit, shareCooldowns: ≤ 10 % 429s, within 1.3 × T',
      target: '≤ 10 % 429s, ≤ 1.3× T',
      measured:
        `${((over.rateLimited / over.requests) * 100).toFixed(1)} % 429s, ` +
        times(over.tookMs / over.idealMs),
      met: over.rateLimited <= over.requests * 0.1 && over.tookMs <= over.idealMs * 1.3,
    },
  ];
}

/** No 429, no second above the limit, within 1.1 × T. */
function pacedTarget(what: string, result: ReplicaResult, limit: number): TargetCheck {
  return {
    name: `replicas: ${what}, no 429 and no second above the limit, within 1.1 × T`,
    target: `0 × 429, ≤ ${limit}/s, ≤ 1.1× T`,
    measured:
      `${result.rateLimited} × 429, ${result.peakReceivedPerSecond}/s, ` +
      times(result.tookMs / result.idealMs),
    met:
      result.rateLimited === 0 &&
      result.peakReceivedPerSecond <= limit &&
      result.tookMs <= result.idealMs * 1.1,
  };
}

/**
 * Sentinel: all ready within 1.5 × T, at most 1.2 × the limit in any second. A replica's first
 * sends alone wait up to two windows (2.1 s): a T of a few seconds (`--quick`) gets that more.
 */
function failoverTarget(result: ReplicaResult, limit: number): TargetCheck {
  const boundMs = Math.max(result.idealMs * 1.5, result.idealMs + 2_100);
  const bound = times(boundMs / result.idealMs);
  return {
    name: 'replicas: Sentinel failover, ≤ 1.2 × the limit in any second, all ready within 1.5 × T',
    target: `≤ ${limit * 1.2}/s, ≤ ${bound} T`,
    measured: `${result.peakReceivedPerSecond}/s, ${times(result.tookMs / result.idealMs)}`,
    met:
      result.failed === 0 &&
      result.peakReceivedPerSecond <= limit * 1.2 &&
      result.tookMs <= boundMs,
  };
}
