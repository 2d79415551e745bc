import { Bench } from 'tinybench';
import { type SectionReport } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { nsPerOp } from '../support/format.js';
import { nsPerCall, readyVoiceApp, SYNC_BATCH } from '../support/ready-voice.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';

const IS_READY_TARGET_NS = 100;
/** Awaited calls per tinybench iteration of `whenReady`. */
const ASYNC_BATCH = 100;

/** 3: `isReady`, `assertReady` and `whenReady` on a voice that is already ready, in ns/op. */
export async function benchHotPath(
  server: RemoteFakeServer,
  settings: BenchSettings,
): Promise<SectionReport> {
  const { app, readiness, voiceId } = await readyVoiceApp(server);
  try {
    let sink = 0;
    const bench = new Bench({ time: settings.hotPathMs, warmupTime: settings.hotPathMs / 5 })
      .add('isReady', () => {
        for (let i = 0; i < SYNC_BATCH; i++) if (readiness.isReady(voiceId)) sink++;
      })
      .add('assertReady', () => {
        for (let i = 0; i < SYNC_BATCH; i++) readiness.assertReady(voiceId);
      })
      .add('whenReady', async () => {
        for (let i = 0; i < ASYNC_BATCH; i++) await readiness.whenReady(voiceId);
      });
    await bench.run();
    if (sink === 0) throw new Error('isReady never answered true');
    const nsOf = (name: string, batch: number) => nsPerCall(bench, name, batch);
    const isReadyNs = nsOf('isReady', SYNC_BATCH);
    const rows: [string, number][] = [
      ['isReady', isReadyNs],
      ['assertReady', nsOf('assertReady', SYNC_BATCH)],
      ['whenReady (awaited)', nsOf('whenReady', ASYNC_BATCH)],
    ];
    return {
      title: '[hot-path] Hot path',
      description:
        `tinybench, ${settings.hotPathMs} ms per task; each iteration makes ${SYNC_BATCH} calls ` +
        `(${ASYNC_BATCH} awaited ones for \`whenReady\`) on a voice that is ready; median ` +
        'iteration divided by the calls.',
      table: [['call', 'time'], ...rows.map(([name, ns]) => [name, nsPerOp(ns)])],
      targets: [
        {
          name: '[hot-path] isReady on a ready voice',
          target: `≤ ${IS_READY_TARGET_NS} ns/op`,
          measured: nsPerOp(isReadyNs),
          met: isReadyNs <= IS_READY_TARGET_NS,
        },
      ],
    };
  } finally {
    await app.close();
  }
}
