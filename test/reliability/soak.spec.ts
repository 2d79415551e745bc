import { runInThisContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { FakeHamsaServer, type FakePreloadStep, fakeVoiceId } from '../../lib/testing/index.js';
import { closeAll, compileHamsaApp, fakeOptions, type HamsaTestApp } from '../support/hamsa-app.js';
import { sleep, trapUnhandledRejections, waitFor, within } from '../support/hamsa-harness.js';

const CYCLES = 200;
const VOICES = 10;
/** Change it (SOAK_SEED=…) to explore other fault sequences; a failure prints the one it used. */
const SEED = Number(process.env.SOAK_SEED ?? 20_261_125);
const realProcess = runInThisContext('process') as NodeJS.Process;
/** Present when node runs with --expose-gc (the npm test script passes it). */
const gc = runInThisContext('typeof gc === "function" ? gc : undefined') as
  (() => void) | undefined;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Faults that settle fast with the soak's limits; most end in success after a retry. */
const FAULT_SEQUENCES: FakePreloadStep[][] = [
  [],
  [{ status: 503 }],
  [{ status: 404 }],
  [{ reset: true }],
  [{ resetMidBody: true }],
  [{ status: 429, headers: { 'retry-after-ms': '20' } }],
  [{ hang: true }],
  [{ trickle: true, intervalMs: 40 }],
  [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }],
  [{ status: 401 }],
];

type CloseMoment = 'before init' | 'during a request' | 'during a backoff' | 'after ready';
const MOMENTS: CloseMoment[] = [
  'before init',
  'during a request',
  'during a backoff',
  'after ready',
];

interface Snapshot {
  handles: Record<string, number>;
  handleCount: number;
  listeners: number;
  heapUsedMb: number;
}

async function snapshot(): Promise<Snapshot> {
  await sleep(50); // let closed sockets finish closing
  gc?.();
  const handles: Record<string, number> = {};
  for (const type of realProcess.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
  const listeners = realProcess
    .eventNames()
    .reduce((sum, event) => sum + realProcess.listenerCount(event), 0);
  const heapUsedMb = Math.round((realProcess.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
  return {
    handles,
    handleCount: Object.values(handles).reduce((a, b) => a + b, 0),
    listeners,
    heapUsedMb,
  };
}

describe('soak: create → init → close, with random faults and random close moments', () => {
  let server: FakeHamsaServer;
  let unhandled: ReturnType<typeof trapUnhandledRejections>;
  beforeAll(async () => {
    server = await FakeHamsaServer.start();
    unhandled = trapUnhandledRejections();
  });
  afterAll(async () => {
    await sleep(20);
    unhandled.remove();
    await server.close();
    expect(unhandled.reasons).toEqual([]);
  });

  /** One cycle: script faults, start, close at `moment`; asserts close returned promptly. */
  async function cycle(random: () => number, moment: CloseMoment): Promise<void> {
    server.reset();
    server.setLatency(Math.floor(random() * 30));
    const voiceIds = Array.from({ length: VOICES }, (_, n) => fakeVoiceId(n));
    for (const voiceId of voiceIds) {
      server.script(voiceId, ...FAULT_SEQUENCES[Math.floor(random() * FAULT_SEQUENCES.length)]);
    }
    const background = moment === 'during a request' || moment === 'during a backoff';
    const options: Partial<HamsaVoiceModuleOptions> = {
      voiceIds,
      concurrency: 1 + Math.floor(random() * 4),
      requestTimeoutMs: 150,
      retries: 2,
      retryDelayMs: moment === 'during a backoff' ? 200 : 5,
      maxRetryDelayMs: moment === 'during a backoff' ? 400 : 20,
      deadlineMs: 2_000,
      waitForReady: !background,
      failOnError: random() < 0.5,
    };
    const app: HamsaTestApp = await compileHamsaApp(fakeOptions(server, options));
    try {
      if (moment === 'after ready') {
        await within(
          5_000,
          'init()',
          app.moduleRef.init().catch(() => undefined),
        );
      } else if (moment === 'during a request') {
        await app.moduleRef.init();
        await waitFor(() => server.requests.length > 0, 'a first request', 2_000);
        await sleep(random() * 30);
      } else if (moment === 'during a backoff') {
        await app.moduleRef.init();
        await sleep(random() * 150);
      }
    } finally {
      await within(3_000, `close() ${moment}`, closeAll(app.moduleRef));
    }
  }

  it(`${CYCLES} cycles of ${VOICES} voices leak no handle, listener or heap`, async () => {
    const random = seeded(SEED);
    const tally: Partial<Record<CloseMoment, number>> = {};
    let requests = 0;
    const run = async (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const moment = MOMENTS[Math.floor(random() * MOMENTS.length)];
        tally[moment] = (tally[moment] ?? 0) + 1;
        await cycle(random, moment).catch((error: unknown) => {
          throw new Error(`cycle ${n} (${moment}, seed ${SEED}): ${String(error)}`);
        });
        requests += server.requests.length;
      }
    };
    await run(0, 20); // warm-up: module caches, lazy singletons, agents of jest itself
    const before = await snapshot();
    await run(20, CYCLES);
    await waitFor(() => server.inFlight === 0, 'every request to end', 2_000);
    const after = await snapshot();

    console.log(
      `soak (seed ${SEED}, gc ${gc ? 'on' : 'off'}, ${requests} requests, ` +
        `closes ${JSON.stringify(tally)}): after 20 cycles ${JSON.stringify(before)}; ` +
        `after ${CYCLES}: ${JSON.stringify(after)}`,
    );
    for (const [type, count] of Object.entries(after.handles)) {
      expect(count).toBeLessThanOrEqual((before.handles[type] ?? 0) + 1);
    }
    expect(after.listeners).toBeLessThanOrEqual(before.listeners);
    for (const moment of MOMENTS) expect(tally[moment]).toBeGreaterThan(20);
    // 180 cycles of a leaked app (its store, subjects, agents) would be tens of MB.
    expect(after.heapUsedMb - before.heapUsedMb).toBeLessThan(gc ? 8 : 40);
  }, 120_000);
});
