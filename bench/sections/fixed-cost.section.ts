import { type SectionReport } from '../report/report.interfaces.js';
import { createBenchApp } from '../support/bench-app.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms } from '../support/format.js';
import { measure, median } from '../support/measure.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

const TARGET_MS = 5;

interface Start {
  createMs: number;
  initMs: number;
}

/** 4: starting an app with the module and 0 voices vs the same app without the module. */
export async function benchFixedCost(
  server: RemoteFakeServer,
  settings: BenchSettings,
): Promise<SectionReport> {
  const hamsa = { apiKey: server.apiKey, baseUrl: server.url, voiceIds: [] };
  const withModule: Start[] = [];
  const without: Start[] = [];
  // One start of each to warm up, then alternate so that both see the same machine load.
  for (let round = -1; round < settings.fixedCostRepeats; round++) {
    const a = await startOnce(() => createBenchApp(hamsa));
    const b = await startOnce(() => createBenchApp());
    if (round < 0) continue;
    withModule.push(a);
    without.push(b);
  }
  const initOf = (starts: Start[]) => median(starts.map((start) => start.initMs));
  const totalOf = (starts: Start[]) => median(starts.map((s) => s.createMs + s.initMs));
  const extraInitMs = initOf(withModule) - initOf(without);
  return {
    title: '[fixed-cost] Fixed cost',
    description:
      '`NestFactory.create()` and `init()` of an HTTP app with `HamsaVoiceModule.forRoot()` and ' +
      `no voices vs the same app without it; medians of ${settings.fixedCostRepeats} ` +
      'alternating starts.',
    table: [
      ['app', 'init()', 'create + init()'],
      ['without the module', ms(initOf(without)), ms(totalOf(without))],
      ['with the module, 0 voices', ms(initOf(withModule)), ms(totalOf(withModule))],
      ['difference', ms(extraInitMs), ms(totalOf(withModule) - totalOf(without))],
    ],
    targets: [
      {
        name: '[fixed-cost] init() with the module and 0 voices, over the same app without',
        target: `≤ ${TARGET_MS} ms more`,
        measured: ms(extraInitMs),
        met: extraInitMs <= TARGET_MS,
      },
    ],
  };
}

async function startOnce(create: () => ReturnType<typeof createBenchApp>): Promise<Start> {
  let app: Awaited<ReturnType<typeof createBenchApp>> | undefined;
  const created = await measure(async () => (app = await create()));
  try {
    const initialised = await measure(() => app!.init());
    return { createMs: created.wallMs, initMs: initialised.wallMs };
  } finally {
    await app!.close();
  }
}
