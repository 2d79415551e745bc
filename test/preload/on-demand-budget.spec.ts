import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  HamsaTtsService,
  VoiceNotReadyError,
  VoicePreloadFailedError,
  type VoiceStatus,
} from '../../lib/index.js';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import { OnDemandBudget } from '../../lib/preload/on-demand-budget.js';
import { type FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  settled,
  sleep,
  useHamsaHarness,
  waitFor,
} from '../support/hamsa-harness.js';
import { text } from '../tts/tts-harness.js';

const configured = fakeVoiceId(1);
const speakers = (count: number) => Array.from({ length: count }, () => randomUUID());
/** The preload requests a fake received (its TTS calls left out). */
const preloads = (server: FakeHamsaServer) =>
  server.requests.filter((request) => request.path === HAMSA_ENDPOINTS.preload);

describe('on-demand speakers and the quota (onDemandPreload.maxPreloadsPerMinute)', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  it('100 made-up speakers with maxPreloadsPerMinute 5: 5 preload requests, 95 refused with reason capacity, one WARN line', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { onDemandPreload: { maxPreloadsPerMinute: 5 } });
    const tts = app.moduleRef.get(HamsaTtsService);

    const outcomes = await Promise.all(
      speakers(100).map((speaker) => settled(tts.synthesize({ text, speaker }))),
    );

    expect(preloads(server)).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome === 'resolved')).toHaveLength(5);
    const refused = outcomes.filter((outcome) => outcome !== 'resolved');
    expect(refused).toHaveLength(95);
    for (const error of refused) {
      expect(error).toBeInstanceOf(VoiceNotReadyError);
      expect(error).toMatchObject({ reason: 'capacity' });
      expect((error as Error).message).toContain('onDemandPreload.maxPreloadsPerMinute');
    }
    expect(app.logger.messages('error')).toEqual([]);
    const onDemandLines = app.logger.messages('warn').filter((line) => /on-demand/.test(line));
    expect(onDemandLines).toEqual([
      expect.stringMatching(
        /^on-demand speaker [0-9a-f-]{36}: refused without a request: onDemandPreload\.maxPreloadsPerMinute 5 reached; further on-demand failures are summed up once a minute$/,
      ),
    ]);
    // The refused speakers are not tracked: nothing to forget, nothing counted as failed.
    expect(app.readiness.getAllStatuses()).toHaveLength(5);
  });

  it('logs the failures of made-up speakers as one WARN line, not one ERROR line each', async () => {
    // The fake knows only the configured voice: every other UUID is a 404.
    const server = await harness.server({ voiceIds: [configured] });
    const app = await harness.start(server, { voiceIds: [configured] });
    const tts = app.moduleRef.get(HamsaTtsService);

    const errors = await Promise.all(
      speakers(10).map((speaker) => rejectionOf(tts.synthesize({ text, speaker }))),
    );

    expect(errors.every((error) => error instanceof VoicePreloadFailedError)).toBe(true);
    expect(preloads(server)).toHaveLength(11);
    expect(app.logger.messages('error')).toEqual([]);
    expect(app.logger.messages('warn')).toEqual([
      expect.stringMatching(
        /^on-demand speaker [0-9a-f-]{36}: HamsaVoiceNotFoundError: Hamsa answered 404 .*; further on-demand failures are summed up once a minute$/,
      ),
    ]);
  });

  it('lets a configured voice go before the on-demand speakers waiting for the preload lane', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    // The configured voice fails its startup preload; recovery asks again after 100 ms.
    server.script(configured, { status: 503 });
    const app = await harness.start(server, {
      voiceIds: [configured],
      concurrency: 1,
      retries: 0,
      failOnError: false,
      recoveryDelayMs: 100,
    });
    server.setLatency(40);
    const tts = app.moduleRef.get(HamsaTtsService);
    let sentBeforeRecovery: number | undefined;
    app.readiness.changes$.subscribe(({ voiceId, state }: VoiceStatus) => {
      if (voiceId === configured && state === 'pending')
        sentBeforeRecovery = server.requests.length;
    });

    // 20 speakers queue up behind one lane: about 800 ms of preloads, one after the other.
    const flood = speakers(20).map((speaker) => settled(tts.synthesize({ text, speaker })));
    await waitFor(() => app.readiness.isReady(configured), 'the configured voice', 3_000);
    await Promise.all(flood);

    const order = preloads(server).map((request) => request.voiceId);
    const recovery = order.lastIndexOf(configured);
    expect(sentBeforeRecovery).toBeDefined();
    // When the recovery was queued, one on-demand preload at most was in flight (not yet
    // recorded); every on-demand speaker still waiting went after it.
    expect(recovery).toBeLessThanOrEqual((sentBeforeRecovery as number) + 1);
    expect(order.length - 1 - recovery).toBeGreaterThanOrEqual(10);
    expect(order).toHaveLength(22);
  });
});

describe('OnDemandBudget', () => {
  it('grants maxPreloadsPerMinute at once, then refills evenly over the minute', async () => {
    const budget = new OnDemandBudget(6_000);
    let granted = 0;
    while (budget.take()) granted++;
    expect(granted).toBe(6_000);

    await sleep(50);

    // 50 ms or more of a 100-per-second refill: 5 or more.
    let refilled = 0;
    while (budget.take()) refilled++;
    expect(refilled).toBeGreaterThanOrEqual(5);
    expect(refilled).toBeLessThan(6_000);
  });
});
