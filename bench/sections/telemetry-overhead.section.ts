import { type SectionReport, type TargetCheck } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms, ms3, nsPerOp, times } from '../support/format.js';
import { median, quartiles } from '../support/measure.js';
import { RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';
import {
  alternate,
  type ByMode,
  bootstrapUnder,
  isReadyNsUnder,
  streamCpuUnder,
} from '../support/telemetry-runs.js';

const MAX_RATIO = 1.1;
/** `isReady` records nothing: any difference is the machine's noise, within this band. */
const UNCHANGED = { low: 0.8, high: 1.2 };
const TEXT = 'مرحبا بك';
/** Calls before each batch is timed: the JIT optimizes a deep call path only after many. */
const WARM_UP_CALLS = 500;

/** One row of the table: a measure with telemetry off and with the SDK, medians over rounds. */
interface Comparison {
  what: string;
  off: number;
  sdk: number;
  /** SDK ÷ off: of the medians, or the median of the rounds' ratios where one is given. */
  ratio: number;
  format: (value: number) => string;
}

/**
 * What recording through the OpenTelemetry SDK costs the module, against the API's no-ops (no
 * provider registered): a bootstrap's wall time and client CPU, the client CPU of one `stream()`
 * call, and `isReady`. The fake server runs in its own process; the modes alternate by round.
 */
export async function benchTelemetryOverhead(settings: BenchSettings): Promise<SectionReport> {
  const { voices, concurrency, bootstrapRounds, calls, callRounds, isReadyMs, isReadyRounds } =
    settings.telemetry;
  const server = await RemoteFakeServer.start({ latencyMs: settings.latencyMs, coldStartMs: 0 });
  try {
    const boots = await alternate(bootstrapRounds, (mode) =>
      bootstrapUnder(mode, server, voices, concurrency),
    );
    const streams = await alternate(callRounds, (mode) =>
      streamCpuUnder(mode, server, TEXT, { warmUp: WARM_UP_CALLS, timed: calls }),
    );
    const isReady = await alternate(isReadyRounds, (mode) =>
      isReadyNsUnder(mode, server, isReadyMs),
    );
    const [boot, bootCpu, perCall, ready] = [
      compare(`\`init()\`, N = ${voices}, c = ${concurrency}`, ms, boots, (b) => b.run.wallMs),
      compare('client CPU during that `init()`', ms, boots, (b) => b.run.cpuMs),
      compare('client CPU per `stream()` call', ms3, streams, (s) => s.cpuPerCallMs),
      compare('`isReady()` on a ready voice', nsPerOp, isReady, (ns) => ns),
    ];
    // Per call, the two batches of one round ran moments apart: the median of the rounds'
    // ratios is what the machine's drift over the section moves least.
    const perRound = streams.sdk.map((s, i) => s.cpuPerCallMs / streams.off[i].cpuPerCallMs);
    perCall.ratio = median(perRound);
    const [low, high] = quartiles(perRound);
    const spansPerBoot = boots.sdk[0].recorded?.spans ?? 0;
    const spansPerBatch = streams.sdk[0].recorded?.spans ?? 0;
    const targets: TargetCheck[] = [
      ratioTarget('telemetry: bootstrap, SDK vs off', boot, `client CPU ${ratioOf(bootCpu)}`),
      ratioTarget(
        'telemetry: client CPU per stream() call, SDK vs off',
        perCall,
        `the median of the rounds' ratios, the middle half ${times(low)}–${times(high)}`,
      ),
      {
        name: 'telemetry: isReady, SDK vs off',
        target: `unchanged (${times(UNCHANGED.low)}–${times(UNCHANGED.high)})`,
        measured: ratioOf(ready),
        met: ready.ratio >= UNCHANGED.low && ready.ratio <= UNCHANGED.high,
      },
    ];
    return {
      title: '[telemetry-overhead] Telemetry overhead',
      description:
        'The module with the OpenTelemetry SDK 2.x registered globally before the app starts (a ' +
        '`MeterProvider` whose reader collects once after the run, a `BasicTracerProvider` whose ' +
        '`BatchSpanProcessor` hands the spans to an `InMemorySpanExporter` that keeps them; no ' +
        "context manager) against no provider registered (the API's no-ops). The fake server " +
        `(preload latency L = ${settings.latencyMs} ms) runs in its own process; each run starts ` +
        'an app of its own under its mode and closes it. Bootstrap: `init()` of ' +
        `${voices} voices at concurrency ${concurrency}, medians of ` +
        `${of(bootstrapRounds, 'round')}; \`stream()\`: ${calls} sequential calls of ` +
        `${TEXT.length} characters per batch after ${WARM_UP_CALLS} uncounted, CPU ` +
        `(\`process.cpuUsage\`) per call, medians of ${of(callRounds, 'batch')}, SDK ÷ off the ` +
        "median of the rounds' ratios; `isReady`: " +
        `tinybench as in section hot-path, ${isReadyMs} ms per run, medians of ` +
        `${of(isReadyRounds, 'run')}. Modes alternate by round after one round to warm up. Each ` +
        `SDK run is checked to have recorded spans and metric points: ${spansPerBoot} spans per ` +
        `bootstrap, ${spansPerBatch} per \`stream()\` batch (its ${WARM_UP_CALLS + calls} calls ` +
        "and the voice's preload).",
      table: [
        ['measure', 'telemetry off (no-ops)', 'SDK registered', 'SDK ÷ off'],
        ...[boot, bootCpu, perCall, ready].map((row) => [
          row.what,
          row.format(row.off),
          row.format(row.sdk),
          ratioOf(row),
        ]),
      ],
      targets,
    };
  } finally {
    await server.close();
  }
}

/** The medians of `value` over each mode's runs. */
function compare<T>(
  what: string,
  format: (value: number) => string,
  runs: ByMode<T>,
  value: (run: T) => number,
): Comparison {
  const [off, sdk] = [median(runs.off.map(value)), median(runs.sdk.map(value))];
  return { what, format, off, sdk, ratio: sdk / off };
}

/** `n` and a noun, plural when `n` is not 1: "1 round", "8 rounds", "3 batches". */
function of(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : noun.endsWith('h') ? 'es' : 's'}`;
}

function ratioOf(row: Comparison): string {
  return times(row.ratio, 3);
}

function ratioTarget(name: string, row: Comparison, note: string): TargetCheck {
  return {
    name,
    target: `≤ ${MAX_RATIO}×`,
    measured: ratioOf(row),
    met: row.ratio <= MAX_RATIO,
    note: `${row.format(row.sdk)} vs ${row.format(row.off)} (medians); ${note}`,
  };
}
