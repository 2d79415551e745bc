// `npm run bench`: 20 app instances × 25 voices against one fake Hamsa limited to 20 req/s
// (ideal 500 / 20 = 25 s), without startupJitterMs and with it at 1× and 1.25× the ideal time.
import { type HamsaVoiceModuleOptions } from '../lib/index.js';
import { type ReplicaResult, runReplicas } from './replicas.js';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 20);
const VOICES = Number(process.env.BENCH_VOICES ?? 25);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 20);
const CONCURRENCY = 4;
const IDEAL_MS = ((INSTANCES * VOICES) / LIMIT) * 1000;
/** The README's sizing for a rollout: patient enough to outlast the account's queue. */
const PATIENT: Partial<HamsaVoiceModuleOptions> = {
  concurrency: CONCURRENCY,
  retries: 100,
  deadlineMs: Math.round(IDEAL_MS * 1.5 + 15_000),
  waitForReady: false,
};

function row(label: string, result: ReplicaResult): string {
  return [
    label.padEnd(32),
    `${(result.tookMs / 1000).toFixed(1)} s`.padStart(8),
    `${(result.tookMs / result.idealMs).toFixed(2)}×`.padStart(7),
    `${result.peakReceivedPerSecond}`.padStart(9),
    `${(result.peakReceivedPerSecond / LIMIT).toFixed(2)}×`.padStart(7),
    `${result.peakAcceptedPerSecond}`.padStart(9),
    `${result.requests}`.padStart(9),
    `${result.rateLimited}`.padStart(6),
    `${result.ready}/${result.ready + result.failed}`.padStart(9),
  ].join(' ');
}

async function main(): Promise<void> {
  const scenario = { instances: INSTANCES, voices: VOICES, rateLimitPerSecond: LIMIT };
  console.log(
    `${INSTANCES} instances × ${VOICES} voices, limit ${LIMIT} req/s, concurrency ${CONCURRENCY}: ` +
      `ideal ${IDEAL_MS / 1000} s, bound 1.5× = ${(IDEAL_MS * 1.5) / 1000} s`,
  );
  const results: [string, ReplicaResult][] = [];
  for (const [label, jitter] of [
    ['no jitter', 0],
    [`startupJitterMs ${IDEAL_MS} (1×)`, IDEAL_MS],
    [`startupJitterMs ${IDEAL_MS * 1.25} (1.25×)`, IDEAL_MS * 1.25],
  ] as const) {
    results.push([
      label,
      await runReplicas({ ...scenario, options: { ...PATIENT, startupJitterMs: jitter } }),
    ]);
  }
  console.log(
    `${'scenario'.padEnd(32)} ${'time'.padStart(8)} ${'/ideal'.padStart(7)} ` +
      `${'peak rx/s'.padStart(9)} ${'/limit'.padStart(7)} ${'peak ok/s'.padStart(9)} ` +
      `${'requests'.padStart(9)} ${'429s'.padStart(6)} ${'ready'.padStart(9)}`,
  );
  for (const [label, result] of results) console.log(row(label, result));
  const worst = Math.max(...results.map(([, result]) => result.tookMs / result.idealMs));
  const allReady = results.every(([, result]) => result.failed === 0);
  console.log(worst <= 1.5 && allReady ? 'within bounds' : 'OUT OF BOUNDS');
  process.exitCode = worst <= 1.5 && allReady ? 0 : 1;
}

void main();
