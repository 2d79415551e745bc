import { type ReadyBar } from '../report/bootstrap-chart.js';
import {
  type ChartPoint,
  type SectionReport,
  type TargetCheck,
} from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { preloadAllAtOnce, preloadSequentially, type PreloadTarget } from '../support/by-hand.js';
import { ms } from '../support/format.js';
import { measure } from '../support/measure.js';
import { runModule, voiceIds } from '../support/module-run.js';
import { RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

/** How one way of preloading fared. */
interface Outcome {
  way: string;
  /** Not measured in this setting: a run from the other one that it would repeat. */
  isReused?: boolean;
  voices: number;
  wallMs: number;
  ready: number;
  turnedAway: number;
}

const SEQUENTIAL = 'sequential for…await (by hand)';
const ALL_AT_ONCE = 'unbounded Promise.all (by hand)';

/**
 * by-hand: what users write by hand, on the same fake server as section bootstrap: a sequential loop and an
 * unbounded `Promise.all` for every N; then, at one N, `Promise.all` and the module against a
 * server that answers 429 beyond `maxInFlight` requests in flight.
 */
export async function benchByHand(
  server: RemoteFakeServer,
  settings: BenchSettings,
): Promise<{ report: SectionReport; chart: ChartPoint[]; bars: ReadyBar[] }> {
  const free: Outcome[] = [];
  for (const voices of settings.voiceCounts) {
    free.push(await runByHand(server, SEQUENTIAL, voices));
    free.push(await runByHand(server, ALL_AT_ONCE, voices));
  }
  // A sequential loop has one request in flight, so no in-flight limit can turn it away: a run
  // against the limited server would repeat the unconstrained one, and cost another N × L.
  const sequential = free.find(
    (outcome) => outcome.way === SEQUENTIAL && outcome.voices === settings.limitedVoices,
  );
  const limited = [
    ...(await benchLimited(settings)),
    ...(sequential ? [{ ...sequential, isReused: true }] : []),
  ];
  const moduleLimited = limited.find((outcome) => outcome.way.startsWith('module'))!;
  const naiveLimited = limited.find((outcome) => outcome.way === ALL_AT_ONCE)!;
  const targets: TargetCheck[] = [
    {
      name: `[by-hand] server limited to ${settings.maxInFlight} in flight: module loses no voice`,
      target: `${moduleLimited.voices}/${moduleLimited.voices} ready`,
      measured: `module ${moduleLimited.ready}/${moduleLimited.voices}, Promise.all ${naiveLimited.ready}/${naiveLimited.voices}`,
      met: moduleLimited.ready === moduleLimited.voices,
    },
  ];
  return {
    report: {
      title: '[by-hand] Against what users write by hand',
      description:
        'Hand-written preloading, implemented in `bench/support/by-hand.ts` with `axios.post` ' +
        'over a keep-alive agent: a sequential `for … await` loop (stops at the first error) and ' +
        'an unbounded `Promise.all` (rejects at the first error; time and voices counted once ' +
        "every request settled). The module's times at the same N are section bootstrap's. Then against " +
        `a server that answers 429 (\`Retry-After: 1\`) beyond ${settings.maxInFlight} requests ` +
        `in flight, the module with \`concurrency: ${settings.maxInFlight}\`; the sequential ` +
        "loop's row there is its unconstrained run, since one request in flight never meets the limit.",
      table: [
        ['server', 'way', 'N', 'time', 'ready', '429s'],
        ...free.map((outcome) => row('unconstrained', outcome)),
        ...limited.map((outcome) => row(`≤ ${settings.maxInFlight} in flight`, outcome)),
      ],
      targets,
    },
    chart: free.map(({ way, voices, wallMs }) => ({ series: way, voices, ms: wallMs })),
    bars: limited.map(({ way, ready, voices }) => ({ way, ready, voices })),
  };
}

async function benchLimited(settings: BenchSettings): Promise<Outcome[]> {
  const { latencyMs, maxInFlight, limitedVoices } = settings;
  const server = await RemoteFakeServer.start({ latencyMs, maxInFlight });
  try {
    const run = await runModule(server, limitedVoices, maxInFlight);
    return [
      {
        way: `module, c = ${maxInFlight}`,
        voices: limitedVoices,
        wallMs: run.wallMs,
        ready: run.ready,
        turnedAway: run.server.turnedAway,
      },
      await runByHand(server, ALL_AT_ONCE, limitedVoices),
    ];
  } finally {
    await server.close();
  }
}

async function runByHand(server: RemoteFakeServer, way: string, voices: number): Promise<Outcome> {
  const target: PreloadTarget = server;
  const ids = voiceIds(voices);
  await server.stats();
  let ready = 0;
  const { wallMs } = await measure(async () => {
    ready = await (way === SEQUENTIAL
      ? preloadSequentially(target, ids)
      : preloadAllAtOnce(target, ids));
  });
  const { turnedAway } = await server.stats();
  return { way, voices, wallMs, ready, turnedAway };
}

function row(serverLabel: string, outcome: Outcome): string[] {
  return [
    serverLabel,
    outcome.isReused ? `${outcome.way}: its unconstrained run` : outcome.way,
    String(outcome.voices),
    ms(outcome.wallMs),
    `${outcome.ready}/${outcome.voices}`,
    String(outcome.turnedAway),
  ];
}
