import { describe, expect, it } from '@jest/globals';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import {
  HamsaQuotaExceededError,
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  VoiceReadinessService,
} from '../../lib/index.js';
import { HamsaVoiceHealthIndicator } from '../../lib/terminus/index.js';
import {
  type FakeHamsaServer,
  type FakePreloadStep,
  fakeVoiceId,
} from '../../lib/testing/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { fakeOptions } from '../support/hamsa-app.js';
import { failOnUnhandledRejections, useHamsaHarness, waitFor } from '../support/hamsa-harness.js';

const voices = [1, 2, 3, 4, 5].map(fakeVoiceId);
const [spender, ...others] = voices;
const RECOVERY_DELAY_MS = 300;

/** The two ways Hamsa says the allowance is spent (hamsa-api.md §5). */
const SPENT: { name: string; step: FakePreloadStep }[] = [
  { name: '402', step: { status: 402, delayMs: 100 } },
  {
    name: '429 "usage limit"',
    step: {
      status: 429,
      body: { success: false, message: 'Monthly usage limit reached' },
      delayMs: 100,
    },
  },
];

describe('an empty wallet (quota spent) during preloading', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  /** An app with the health indicator, logging into a `CapturingLogger`, initialised. */
  async function startApp(server: FakeHamsaServer, overrides: Partial<HamsaVoiceModuleOptions>) {
    const logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        TerminusModule.forRoot({ logger: false }),
        HamsaVoiceModule.forRoot(fakeOptions(server, overrides)),
      ],
      providers: [HamsaVoiceHealthIndicator],
    })
      .setLogger(logger)
      .compile();
    harness.track(moduleRef);
    await moduleRef.init();
    const indicator = moduleRef.get(HamsaVoiceHealthIndicator);
    return {
      logger,
      readiness: moduleRef.get(VoiceReadinessService),
      health: async () => (await indicator.isHealthy())['hamsa-voices'],
    };
  }

  it.each(SPENT)(
    '$name on one of 5 voices: no retry, the 3 others in flight stop and the queued one is never sent, one WARN line; all recover after recoveryDelayMs',
    async ({ step }) => {
      const server = await harness.server();
      // The spender's answer comes after 100 ms, so the 3 others (concurrency 4) are in flight.
      server.script(spender, step);
      for (const voiceId of others) server.script(voiceId, { status: 200, delayMs: 1_000 });
      const app = await startApp(server, {
        voiceIds: voices,
        failOnError: false,
        recoveryDelayMs: RECOVERY_DELAY_MS,
      });
      const failedAt = Date.now();

      // Startup: 4 requests (the 5th voice waited for a place and was stopped before sending).
      expect(server.requests.map((request) => request.voiceId).sort()).toEqual(voices.slice(0, 4));
      for (const voiceId of voices) {
        expect(app.readiness.getStatus(voiceId)).toMatchObject({
          state: 'failed',
          error: { name: 'HamsaQuotaExceededError', retryable: false },
        });
      }
      const quotaLines = app.logger.messages('warn').filter((line) => /quota/.test(line));
      expect(quotaLines).toEqual([
        expect.stringContaining(
          `the preloads in flight were stopped and configured voices are tried again in ${RECOVERY_DELAY_MS} ms`,
        ),
      ]);
      expect(app.logger.messages('error')).toEqual([]);
      expect(app.logger.lines.map((line) => line.message).join('\n')).not.toContain(server.apiKey);
      expect(await app.health()).toMatchObject({
        status: 'down',
        reasons: Object.fromEntries(voices.map((voiceId) => [voiceId, 'quota'])),
      });

      // The wallet is topped up: the fake now accepts every voice.
      await waitFor(() => voices.every((v) => app.readiness.isReady(v)), 'recovery', 3_000);

      expect(server.requests).toHaveLength(4 + voices.length);
      const recoveries = server.requests.slice(4);
      expect(recoveries.map((request) => request.voiceId).sort()).toEqual([...voices].sort());
      for (const { receivedAt } of recoveries) {
        // A lower bound only: a timer never fires early.
        expect(receivedAt - failedAt).toBeGreaterThanOrEqual(RECOVERY_DELAY_MS - 50);
      }
      const health = await app.health();
      expect(health).toMatchObject({ status: 'up', ready: 5 });
      expect(health).not.toHaveProperty('reasons');
    },
  );

  it('rejects preload() with the one HamsaQuotaExceededError, shared by the voices it stopped', async () => {
    const server = await harness.server();
    server.script(spender, { status: 402, delayMs: 100 });
    server.script(others[0], { status: 200, delayMs: 1_000 });
    const app = await startApp(server, { voiceIds: [], recoveryDelayMs: 0 });

    const [first, second] = await Promise.allSettled([
      app.readiness.preload(spender),
      app.readiness.preload(others[0]),
    ]);

    expect(first).toMatchObject({ status: 'rejected' });
    const error = (first as PromiseRejectedResult).reason as HamsaQuotaExceededError;
    expect(error).toBeInstanceOf(HamsaQuotaExceededError);
    expect(second).toEqual({ status: 'rejected', reason: error });
    expect(server.requests).toHaveLength(2);
    expect(app.logger.messages('warn')).toEqual([
      expect.stringContaining('recoveryDelayMs is 0, so they are not tried again'),
    ]);

    // Preloads asked for afterwards are sent: the wallet may have been topped up since.
    await app.readiness.preload(others[1]);
    expect(server.requestsFor(others[1])).toHaveLength(1);
  });
});
