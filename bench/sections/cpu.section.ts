import { type SectionReport } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { preloadBare } from '../support/by-hand.js';
import { ms, times } from '../support/format.js';
import { measure, median } from '../support/measure.js';
import { runModule, voiceIds } from '../support/module-run.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

const TARGET_RATIO = 1.3;
const CONCURRENCY = 64;

/** 6: client CPU time per preloaded voice, the module vs a bare `axios.post` loop. */
export async function benchCpu(
  server: RemoteFakeServer,
  settings: BenchSettings,
): Promise<SectionReport> {
  const { cpuVoices: voices, cpuRepeats } = settings;
  const ids = voiceIds(voices);
  const moduleCpu: number[] = [];
  const bareCpu: number[] = [];
  // One warm-up of each, then alternating runs; process.cpuUsage counts this process only.
  for (let round = -1; round < cpuRepeats; round++) {
    const moduleRun = await runModule(server, voices, CONCURRENCY);
    const bare = await measure(() => preloadBare(server, ids, CONCURRENCY));
    if (moduleRun.ready !== voices) throw new Error(`module: ${moduleRun.ready}/${voices} ready`);
    if (round < 0) continue;
    moduleCpu.push(moduleRun.cpuMs);
    bareCpu.push(bare.cpuMs);
  }
  const perVoice = (values: number[]) => median(values) / voices;
  const ratio = perVoice(moduleCpu) / perVoice(bareCpu);
  return {
    title: '[cpu] CPU per preload',
    description:
      `Client CPU time (\`process.cpuUsage\`, user + system) per voice for ${voices} voices at ` +
      `concurrency ${CONCURRENCY}: the module's \`init()\` vs ${CONCURRENCY} bare \`axios.post\` ` +
      `loops sharing a keep-alive agent (no retries, no status handling); medians of ${cpuRepeats} ` +
      'alternating runs.',
    table: [
      ['client', 'CPU per voice'],
      ['bare axios.post loops', ms(perVoice(bareCpu))],
      ['module', ms(perVoice(moduleCpu))],
      ['ratio', times(ratio)],
    ],
    targets: [
      {
        name: '[cpu] client CPU per preloaded voice, module vs bare axios.post',
        target: `≤ ${TARGET_RATIO}×`,
        measured: times(ratio),
        met: ratio <= TARGET_RATIO,
      },
    ],
  };
}
