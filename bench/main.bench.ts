// `npm run bench` (full, writes bench/results.md and docs/bench-bootstrap.svg) or
// `npm run bench -- --quick` (a reduced matrix for CI, writes them under dist-bench/ instead):
// every section of the benchmark, side by side in one run, then the report and the chart.
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
import { benchPreloadBesideStreams } from './sections/preload-beside-streams.section.js';
import { benchReplicas } from './sections/replicas.section.js';
import { benchSpeakerFlood } from './sections/speaker-flood.section.js';
import { benchTelemetryOverhead } from './sections/telemetry-overhead.section.js';
import { benchTtsColdStart } from './sections/tts-cold-start.section.js';
import { benchWarmSessions } from './sections/warm-sessions.section.js';
import { benchSettings } from './support/bench-settings.js';
import { RemoteFakeServer } from './support/remote-fake-server.js';

const settings = benchSettings(process.argv.slice(2));
const root = fileURLToPath(new URL('../../', import.meta.url));
const output = settings.isQuick
  ? { results: `${root}dist-bench/results.md`, chart: `${root}dist-bench/bench-bootstrap.svg` }
  : { results: `${root}bench/results.md`, chart: `${root}docs/bench-bootstrap.svg` };

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

/** Sections 1, 2, 3, 4 and 6, against one fake server with latency L in its own process. */
async function benchAgainstLatentServer(): Promise<{ points: ChartPoint[]; bars: ReadyBar[] }> {
  const server = await RemoteFakeServer.start({ latencyMs: settings.latencyMs });
  try {
    const bootstrap = await benchBootstrap(server, settings);
    done(bootstrap.report);
    const byHand = await benchByHand(server, settings);
    done(byHand.report);
    done(await benchHotPath(server, settings));
    done(await benchFixedCost(server, settings));
    done(await benchCpu(server, settings));
    return { points: [...bootstrap.chart, ...byHand.chart], bars: byHand.bars };
  } finally {
    await server.close();
  }
}

const chart = await benchAgainstLatentServer();
const instant = await RemoteFakeServer.start();
try {
  done(await benchMemory(instant, settings));
} finally {
  await instant.close();
}
done(await benchTtsColdStart(settings));
done(await benchWarmSessions(settings));
// Sections 9 to 12 start fake servers of their own, with the streaming or voices they need.
done(await benchConcurrentStreams(settings));
done(await benchPreloadBesideStreams(settings));
done(await benchPerCallCost(settings));
done(await benchSpeakerFlood(settings));
done(await benchTelemetryOverhead(settings));
done(await benchReplicas(settings));
done(await benchEmptyAnswers(settings));

const markdown = await resultsMarkdown(environment, sections, output.results);
const svg = await bootstrapChartSvg(chart.points, chart.bars, settings);
await mkdir(dirname(output.chart), { recursive: true });
await writeFile(output.results, markdown);
await writeFile(output.chart, svg);
console.log(`\n${markdown}`);
console.log(
  `Wrote ${output.results} and ${output.chart} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`,
);

/** The version of @nestjs/core the bench ran with. */
function nestVersion(): string {
  const path = createRequire(import.meta.url).resolve('@nestjs/core/package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}
