// `npm run bench` (full, writes bench/results.md and docs/bench-bootstrap.svg),
// `npm run bench -- --quick` (a reduced matrix for CI, writes them under dist-bench/ instead) or
// `npm run bench -- --section <name>` (one section; with --quick too): the sections side by side
// in one run, then the report and the chart. bench/README.md lists the sections.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrapChartSvg, type ReadyBar } from './report/bootstrap-chart.js';
import { type ChartPoint, type SectionReport } from './report/report.interfaces.js';
import { resultsMarkdown } from './report/results-markdown.js';
import { benchBootstrap } from './sections/bootstrap.section.js';
import { benchByHand } from './sections/by-hand.section.js';
import { benchConcurrentStreams } from './sections/concurrent-streams.section.js';
import { benchCpu } from './sections/cpu.section.js';
import { benchEmptyAnswers } from './sections/empty-answers.section.js';
import { benchFixedCost } from './sections/fixed-cost.section.js';
import { benchHotPath } from './sections/hot-path.section.js';
import { benchMemory } from './sections/memory.section.js';
import { benchPerCallCost } from './sections/per-call-cost.section.js';
import { benchPooledSpeak } from './sections/pooled-speak.section.js';
import { benchPreloadBesideStreams } from './sections/preload-beside-streams.section.js';
import { benchReplicas } from './sections/replicas.section.js';
import { benchSpeakerFlood } from './sections/speaker-flood.section.js';
import { benchSpeakText } from './sections/speak-text.section.js';
import { benchTelemetryOverhead } from './sections/telemetry-overhead.section.js';
import { benchTtsColdStart } from './sections/tts-cold-start.section.js';
import { benchWarmSessions } from './sections/warm-sessions.section.js';
import { benchSettings } from './support/bench-settings.js';
import { RemoteFakeServer } from '../test/support/fleet/remote-fake-server.js';

const settings = benchSettings(process.argv.slice(2));
const root = fileURLToPath(new URL('../../', import.meta.url));
const isPartial = settings.isQuick || settings.section !== undefined;
const output = isPartial
  ? { results: `${root}dist-bench/results.md`, chart: `${root}dist-bench/bench-bootstrap.svg` }
  : { results: `${root}bench/results.md`, chart: `${root}docs/bench-bootstrap.svg` };

/** One section: its name for `--section`, and how it runs (given what it needs). */
interface BenchSection<Needs extends unknown[] = []> {
  name: string;
  run(...needs: Needs): Promise<SectionReport>;
}

const chart: { points: ChartPoint[]; bars: ReadyBar[] } = { points: [], bars: [] };
/** These sections share one fake server with latency L, in its own process. */
const AGAINST_LATENT_SERVER: BenchSection<[RemoteFakeServer]>[] = [
  {
    name: 'bootstrap',
    run: async (server) => {
      const bootstrap = await benchBootstrap(server, settings);
      chart.points.push(...bootstrap.chart);
      return bootstrap.report;
    },
  },
  {
    name: 'by-hand',
    run: async (server) => {
      const byHand = await benchByHand(server, settings);
      chart.points.push(...byHand.chart);
      chart.bars.push(...byHand.bars);
      return byHand.report;
    },
  },
  { name: 'hot-path', run: (server) => benchHotPath(server, settings) },
  { name: 'fixed-cost', run: (server) => benchFixedCost(server, settings) },
  { name: 'cpu', run: (server) => benchCpu(server, settings) },
];
/** These start the fake servers they need. */
const ON_THEIR_OWN: BenchSection[] = [
  { name: 'memory', run: () => withFakeServer({}, (server) => benchMemory(server, settings)) },
  { name: 'tts-cold-start', run: () => benchTtsColdStart(settings) },
  { name: 'warm-sessions', run: () => benchWarmSessions(settings) },
  { name: 'pooled-speak', run: () => benchPooledSpeak(settings) },
  { name: 'concurrent-streams', run: () => benchConcurrentStreams(settings) },
  { name: 'preload-beside-streams', run: () => benchPreloadBesideStreams(settings) },
  { name: 'per-call-cost', run: () => benchPerCallCost(settings) },
  { name: 'speaker-flood', run: () => benchSpeakerFlood(settings) },
  { name: 'telemetry-overhead', run: () => benchTelemetryOverhead(settings) },
  { name: 'replicas', run: () => benchReplicas(settings) },
  { name: 'empty-answers', run: () => benchEmptyAnswers(settings) },
  { name: 'speak-text', run: () => benchSpeakText(settings) },
];

const wanted = (section: { name: string }) =>
  !settings.section || section.name === settings.section;
const allSections = [...AGAINST_LATENT_SERVER, ...ON_THEIR_OWN];
if (!allSections.some(wanted)) {
  const names = allSections.map((section) => section.name).join(', ');
  throw new Error(`--section ${settings.section}: no such section (one of: ${names})`);
}

const startedAt = Date.now();
const sections: SectionReport[] = [];
function done(section: SectionReport): void {
  sections.push(section);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
  console.log(`[${seconds} s] ${section.title}: done`);
}

const environment = {
  date: new Date().toISOString().slice(0, 10),
  machine:
    `${cpus()[0]?.model.trim()} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GB, ` +
    `load average ${loadavg()[0].toFixed(2)} at the start`,
  node: process.versions.node,
  nest: nestVersion(),
  mode: settings.isQuick ? ('quick' as const) : ('full' as const),
};

const latentSections = AGAINST_LATENT_SERVER.filter(wanted);
if (latentSections.length > 0) {
  await withFakeServer({ latencyMs: settings.latencyMs }, async (server) => {
    for (const section of latentSections) done(await section.run(server));
  });
}
for (const section of ON_THEIR_OWN.filter(wanted)) {
  done(await section.run());
}

const markdown = await resultsMarkdown(environment, sections, output.results);
await mkdir(dirname(output.chart), { recursive: true });
await writeFile(output.results, markdown);
if (chart.points.length > 0) {
  await writeFile(output.chart, await bootstrapChartSvg(chart.points, chart.bars, settings));
}
console.log(`\n${markdown}`);
console.log(
  `Wrote ${output.results}${chart.points.length > 0 ? ` and ${output.chart}` : ''} in ` +
    `${((Date.now() - startedAt) / 1000).toFixed(0)} s.`,
);

/** Runs `task` against a fake server in its own process, closed afterwards. */
async function withFakeServer<T>(
  options: { latencyMs?: number },
  task: (server: RemoteFakeServer) => Promise<T>,
): Promise<T> {
  const server = await RemoteFakeServer.start(options);
  try {
    return await task(server);
  } finally {
    await server.close();
  }
}

/** The version of @nestjs/core the bench ran with. */
function nestVersion(): string {
  const path = createRequire(import.meta.url).resolve('@nestjs/core/package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}
