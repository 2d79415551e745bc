import { Bench } from 'tinybench';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { measure } from './measure.js';
import { nsPerCall, readyVoiceApp, SYNC_BATCH } from './ready-voice.js';
import { type PreloadRun, runModule } from './module-run.js';
import { GlobalOtelSdk, type Recorded, type TelemetryMode } from './otel-sdk.js';
import { type RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';
import { drain, speechBytes, startTtsApp } from './tts-streams.js';

/** Each mode's results, in round order (index i of both is round i). */
export type ByMode<T> = Record<TelemetryMode, T[]>;

/**
 * Runs `run` under both modes in each of `rounds` rounds, after one round to warm up (not kept):
 * off first in even rounds, the SDK first in odd ones, so that drift in the machine's load
 * weighs on both alike.
 */
export async function alternate<T>(
  rounds: number,
  run: (mode: TelemetryMode) => Promise<T>,
): Promise<ByMode<T>> {
  const results: ByMode<T> = { off: [], sdk: [] };
  for (let round = -1; round < rounds; round++) {
    const modes: TelemetryMode[] = round % 2 === 0 ? ['off', 'sdk'] : ['sdk', 'off'];
    for (const mode of modes) {
      const result = await run(mode);
      if (round >= 0) results[mode].push(result);
    }
  }
  return results;
}

/** One bootstrap (`runModule`) of `voices` voices at `concurrency`, under `mode`. */
export async function bootstrapUnder(
  mode: TelemetryMode,
  server: RemoteFakeServer,
  voices: number,
  concurrency: number,
): Promise<{ run: PreloadRun; recorded?: Recorded }> {
  const { result: run, recorded } = await GlobalOtelSdk.run(mode, () =>
    runModule(server, voices, concurrency),
  );
  if (run.ready !== voices) throw new Error(`${mode}: ${run.ready}/${voices} voices ready`);
  return { run, recorded };
}

/**
 * Client CPU per `stream()` call of `text` under `mode`: an app started under it, `warmUp`
 * calls uncounted (the keep-alive socket, the JIT), then `calls` sequential calls timed together.
 */
export async function streamCpuUnder(
  mode: TelemetryMode,
  server: RemoteFakeServer,
  text: string,
  calls: { warmUp: number; timed: number },
): Promise<{ cpuPerCallMs: number; recorded?: Recorded }> {
  const speaker = fakeVoiceId(1);
  const expectedBytes = speechBytes(text);
  const { result: cpuPerCallMs, recorded } = await GlobalOtelSdk.run(mode, async () => {
    const { app, tts } = await startTtsApp(server, [speaker]);
    try {
      const call = async () => {
        const bytes = await drain(tts.stream({ text, speaker }));
        if (bytes !== expectedBytes) throw new Error(`${mode}: stream cut short (${bytes} B)`);
      };
      for (let i = 0; i < calls.warmUp; i++) await call();
      const { cpuMs } = await measure(async () => {
        for (let i = 0; i < calls.timed; i++) await call();
      });
      return cpuMs / calls.timed;
    } finally {
      await app.close();
    }
  });
  return { cpuPerCallMs, recorded };
}

/** `isReady()` on a ready voice in ns/op (tinybench median) in an app started under `mode`. */
export async function isReadyNsUnder(
  mode: TelemetryMode,
  server: RemoteFakeServer,
  timeMs: number,
): Promise<number> {
  const { result } = await GlobalOtelSdk.run(mode, async () => {
    const { app, readiness, voiceId } = await readyVoiceApp(server);
    try {
      let sink = 0;
      const bench = new Bench({ time: timeMs, warmupTime: timeMs / 5 }).add('isReady', () => {
        for (let i = 0; i < SYNC_BATCH; i++) if (readiness.isReady(voiceId)) sink++;
      });
      await bench.run();
      if (sink === 0) throw new Error('isReady never answered true');
      return nsPerCall(bench, 'isReady', SYNC_BATCH);
    } finally {
      await app.close();
    }
  });
  return result;
}
