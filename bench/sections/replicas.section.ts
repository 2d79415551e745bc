import { type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { times } from '../support/format.js';
import { type ReplicaResult, runReplicas } from '../../test/support/fleet/replicas.js';
import { RedisFleet, withRedis } from '../../test/support/fleet/redis-fleet.js';

const CONCURRENCY = 4;
/** docs/fleet.md's bound for a rollout: every voice ready within 1.5 × the ideal time. */
const MAX_RATIO = 1.5;

/**
 * Many replicas, one rate limit: instances × voices preloads against one fake Hamsa limited to
 * `rateLimitPerSecond`, without `startupJitterMs` and with it at 1× and 1.25× the ideal time.
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
  const scenario = { instances, voices, rateLimitPerSecond };
  const results: [string, ReplicaResult][] = [];
  for (const [label, jitter] of [
    ['no jitter', 0],
    [`jitter \`${idealMs}\` (1 × T)`, idealMs],
    [`jitter \`${idealMs * 1.25}\` (1.25 × T)`, idealMs * 1.25],
  ] as const) {
    const options = { ...patient, startupJitterMs: jitter };
    results.push([label, await runReplicas({ ...scenario, options })]);
  }
  const coordinated = await withRedis(async (redis) => {
    const rows: [string, ReplicaResult][] = [];
    for (const [label, share] of [
      ['`RedisHamsaCoordinator`', {}],
      ['`RedisHamsaCoordinator` + shared preloads', { sharePreloadsForMs: 60_000 }],
    ] as const) {
      const fleet = new RedisFleet(redis.url, { rateLimitPerSecond, ...share });
      try {
        const coordinator = fleet.coordinator;
        rows.push([label, await runReplicas({ ...scenario, options: patient, coordinator })]);
      } finally {
        await fleet.close();
      }
    }
    return rows;
  });
  results.push(...coordinated.rows);
  const [paced, shared] = coordinated.rows.map(([, result]) => result);
  const worst = Math.max(...results.map(([, result]) => result.tookMs / result.idealMs));
  const allReady = results.every(([, result]) => result.failed === 0);
  return {
    title: '[replicas] Many replicas, one rate limit',
    description:
      `${instances} app instances × ${voices} voices against one fake Hamsa (in its own process) ` +
      `limited to ${rateLimitPerSecond} preloads/s (T = ${idealMs / 1000} s), \`concurrency\` ` +
      `${CONCURRENCY}, as docs/fleet.md sizes them; the coordinator ` +
      `rows share one redis-server with \`rateLimitPerSecond: ${rateLimitPerSecond}\`.` +
      (coordinated.skipped ? ` Coordinator rows skipped: ${coordinated.skipped}.` : ''),
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
      ...(paced && shared
        ? [
            {
              name: 'replicas: coordinator, no 429 and no second above the limit, within 1.1 × T',
              target: `0 × 429, ≤ ${rateLimitPerSecond}/s, ≤ 1.1× T`,
              measured:
                `${paced.rateLimited} × 429, ${paced.peakReceivedPerSecond}/s, ` +
                times(paced.tookMs / paced.idealMs),
              met:
                paced.rateLimited === 0 &&
                paced.peakReceivedPerSecond <= rateLimitPerSecond &&
                paced.tookMs <= paced.idealMs * 1.1,
            },
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
          ]
        : []),
    ],
  };
}
