import {
  type ChartPoint,
  type SectionReport,
  type TargetCheck,
} from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { preloadBare } from '../support/by-hand.js';
import { ms, times } from '../support/format.js';
import { measure, median } from '../support/measure.js';
import { type PreloadRun, runModule, voiceIds } from '../support/module-run.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

/** Slack allowed over the ideal for N ≥ 10, and over L for N = 1 (the targets). */
const MAX_RATIO = 1.1;
const SINGLE_VOICE_SLACK_MS = 20;
/** Points with a shorter ideal also time the bare client: the floor this machine allows. */
const BARE_BELOW_MS = 5_000;

/** One point of the matrix, its runs reduced to medians (maxima for connections). */
interface BootstrapPoint {
  voices: number;
  concurrency: number;
  idealMs: number;
  wallMs: number;
  /** The bare `axios.post` loops at the same N and c, when timed. */
  bareMs?: number;
  clientCpuMs: number;
  serverCpuMs: number;
  /** The higher of the ideal and the two processes' CPU times: no run can be faster. */
  boundMs: number;
  isCpuBound: boolean;
  connections: number;
  ready: number;
}

/**
 * 1 and 7: `init()` of an app preloading N voices at concurrency c, against a fake server with
 * latency L in another process, divided by the ideal ceil(N/c) × L; and the TCP connections
 * the server accepted meanwhile.
 */
export async function benchBootstrap(
  server: RemoteFakeServer,
  settings: BenchSettings,
): Promise<{ report: SectionReport; chart: ChartPoint[] }> {
  const { latencyMs, voiceCounts, concurrencies, rounds, roundsBudgetMs } = settings;
  // Warm up the JIT and Nest's first module scan, so that the first point does not pay for them.
  await runModule(server, 10, 4);
  await preloadBare(server, voiceIds(10), 4);
  const matrix = voiceCounts.flatMap((voices) =>
    concurrencies.map((concurrency) => ({ voices, concurrency })),
  );
  const runs = new Map(matrix.map((point) => [point, [] as PreloadRun[]]));
  const bareRuns = new Map(matrix.map((point) => [point, [] as number[]]));
  // Rounds over the whole matrix rather than repeats in a row, so that each point sees the
  // machine's load at several moments; slow points take part in fewer rounds.
  for (let round = 0; round < rounds; round++) {
    for (const point of matrix) {
      const { voices, concurrency } = point;
      const idealMs = idealOf(voices, concurrency, latencyMs);
      if (round > 0 && (round + 1) * idealMs > roundsBudgetMs) continue;
      runs.get(point)!.push(await runModule(server, voices, concurrency));
      if (idealMs >= BARE_BELOW_MS) continue;
      const bare = await measure(() => preloadBare(server, voiceIds(voices), concurrency));
      bareRuns.get(point)!.push(bare.wallMs);
    }
  }
  const points = matrix.map((point) =>
    summarise(point.voices, point.concurrency, latencyMs, runs.get(point)!, bareRuns.get(point)!),
  );
  return {
    report: {
      title: '[bootstrap] Bootstrap time vs the ideal, and connections',
      description:
        `\`init()\` of an app preloading N voices with \`concurrency\` c, against the fake server ` +
        `(latency L = ${latencyMs} ms) in its own process; ideal = ceil(N/c) × L. "Bare" is c ` +
        '`axios.post` loops sharing a keep-alive agent, doing the same requests (points under ' +
        `${BARE_BELOW_MS / 1000} s): the floor this machine and Node's HTTP stack allow. ` +
        'Bound = the highest of the ideal and the CPU time each process spent (no run can beat ' +
        "it); a point is CPU-bound when a process's CPU time reaches half the ideal. Medians of " +
        `up to ${rounds} interleaved rounds (as many as fit in ${roundsBudgetMs / 1000} s of a ` +
        "point's ideal time, at least one); connections are the most any run opened.",
      table: [
        [
          'N',
          'c',
          'ideal',
          'time',
          '× ideal',
          'bare × ideal',
          'client CPU',
          'server CPU',
          '× bound',
          'conns',
          'ready',
        ],
        ...points.map((point) => [
          String(point.voices),
          String(point.concurrency),
          ms(point.idealMs),
          ms(point.wallMs),
          times(point.wallMs / point.idealMs),
          point.bareMs === undefined ? '—' : times(point.bareMs / point.idealMs),
          ms(point.clientCpuMs),
          ms(point.serverCpuMs),
          point.isCpuBound ? `${times(point.wallMs / point.boundMs)} (CPU-bound)` : '—',
          String(point.connections),
          `${point.ready}/${point.voices}`,
        ]),
      ],
      targets: targetsOf(points, latencyMs),
    },
    chart: points.map((point) => ({
      series: `module, c = ${point.concurrency}${point.concurrency === 4 ? ' (default)' : ''}`,
      voices: point.voices,
      ms: point.wallMs,
    })),
  };
}

function idealOf(voices: number, concurrency: number, latencyMs: number): number {
  return Math.ceil(voices / concurrency) * latencyMs;
}

function summarise(
  voices: number,
  concurrency: number,
  latencyMs: number,
  runs: PreloadRun[],
  bareMs: number[],
): BootstrapPoint {
  const idealMs = idealOf(voices, concurrency, latencyMs);
  const clientCpuMs = median(runs.map((run) => run.cpuMs));
  const serverCpuMs = median(runs.map((run) => run.server.cpuMs));
  return {
    voices,
    concurrency,
    idealMs,
    wallMs: median(runs.map((run) => run.wallMs)),
    bareMs: bareMs.length > 0 ? median(bareMs) : undefined,
    clientCpuMs,
    serverCpuMs,
    boundMs: Math.max(idealMs, clientCpuMs, serverCpuMs),
    isCpuBound: Math.max(clientCpuMs, serverCpuMs) >= idealMs / 2,
    connections: Math.max(...runs.map((run) => run.server.connections)),
    ready: Math.min(...runs.map((run) => run.ready)),
  };
}

function targetsOf(points: BootstrapPoint[], latencyMs: number): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const point of points) {
    const name = `[bootstrap] bootstrap, N = ${point.voices}, c = ${point.concurrency}`;
    const note = noteOf(point);
    if (point.voices === 1) {
      checks.push({
        name,
        target: `≤ L + ${SINGLE_VOICE_SLACK_MS} ms = ${latencyMs + SINGLE_VOICE_SLACK_MS} ms`,
        measured: ms(point.wallMs),
        met: point.wallMs <= latencyMs + SINGLE_VOICE_SLACK_MS,
        note,
      });
      continue;
    }
    const ratio = point.wallMs / (point.isCpuBound ? point.boundMs : point.idealMs);
    checks.push({
      name,
      target: `≤ ${MAX_RATIO}× ${point.isCpuBound ? 'CPU bound' : 'ideal'}`,
      measured: times(ratio, 3),
      met: ratio <= MAX_RATIO && point.ready === point.voices,
      note,
    });
  }
  const worst = points.reduce((a, b) =>
    a.connections / a.concurrency >= b.connections / b.concurrency ? a : b,
  );
  checks.push({
    name: '[bootstrap] TCP connections opened during the runs of N = 1',
    target: '≤ c at every point',
    measured: `highest: ${worst.connections} at c = ${worst.concurrency} (N = ${worst.voices})`,
    met: points.every((point) => point.connections <= point.concurrency),
  });
  return checks;
}

/** What qualifies a point: its CPU times when CPU-bound, and what the bare client managed. */
function noteOf(point: BootstrapPoint): string | undefined {
  const parts: string[] = [];
  if (point.isCpuBound) {
    parts.push(
      `CPU-bound: client ${ms(point.clientCpuMs)}, server ${ms(point.serverCpuMs)} of CPU ` +
        `against an ideal of ${ms(point.idealMs)}`,
    );
  }
  if (point.bareMs !== undefined) {
    parts.push(`bare axios.post loops: ${times(point.bareMs / point.idealMs)} the ideal`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
