import { describe, expect, it } from '@jest/globals';
import {
  HamsaApiError,
  HamsaAuthenticationError,
  HamsaBadRequestError,
  type HamsaError,
  HamsaPreloadError,
  HamsaQuotaExceededError,
  HamsaRateLimitError,
  HamsaServerError,
  HamsaTimeoutError,
  type HamsaVoiceModuleOptions,
  HamsaVoiceNotFoundError,
} from '../lib/index.js';
import { type FakePreloadStep, fakeVoiceId } from '../lib/testing/index.js';
import { rejectionOf, useHamsaHarness } from './support/hamsa-harness.js';

const voiceId = fakeVoiceId(1);

describe('preload retries', () => {
  const harness = useHamsaHarness();

  describe('retryable failures are retried until the voice is ready', () => {
    it.each<[string, number, FakePreloadStep]>([
      ['503', 3, { status: 503 }],
      ['500', 1, { status: 500 }],
      ['502 with a plain-text body', 2, { status: 502, body: 'Bad Gateway' }],
      ['504', 1, { status: 504 }],
      ['408', 2, { status: 408 }],
      ['429 without a quota message', 2, { status: 429 }],
      ['a connection reset', 2, { reset: true }],
      ['a hang past requestTimeoutMs', 2, { hang: true }],
    ])('%s (×%i)', async (_label, failures, step) => {
      const server = await harness.server();
      server.script(voiceId, ...Array<FakePreloadStep>(failures).fill(step));

      const { readiness } = await harness.start(server, {
        voiceIds: [voiceId],
        requestTimeoutMs: 200,
      });

      expect(readiness.getStatus(voiceId)).toMatchObject({
        state: 'ready',
        attempts: failures + 1,
      });
      expect(server.requestsFor(voiceId)).toHaveLength(failures + 1);
    });
  });

  describe('non-retryable answers are sent once and fail the voice', () => {
    type StatusStep = FakePreloadStep & { status: number };
    it.each<[string, StatusStep, new (...args: never[]) => HamsaError]>([
      ['400', { status: 400 }, HamsaBadRequestError],
      ['401', { status: 401 }, HamsaAuthenticationError],
      ['403', { status: 403 }, HamsaAuthenticationError],
      ['404', { status: 404 }, HamsaVoiceNotFoundError],
      ['402', { status: 402 }, HamsaQuotaExceededError],
      [
        '429 saying "usage limit"',
        { status: 429, body: { success: false, message: 'Monthly usage limit reached' } },
        HamsaQuotaExceededError,
      ],
      ['409', { status: 409 }, HamsaApiError],
      ['200 with success: false', { status: 200, body: { success: false } }, HamsaApiError],
    ])('%s', async (_label, step, errorClass) => {
      const server = await harness.server();
      server.script(voiceId, step, { status: 200 });
      const { readiness } = await harness.start(server);

      const error = await rejectionOf(readiness.preload(voiceId));

      expect(error).toBeInstanceOf(errorClass);
      expect(server.requestsFor(voiceId)).toHaveLength(1);
      expect(readiness.getStatus(voiceId)).toMatchObject({
        state: 'failed',
        attempts: 1,
        error: { name: errorClass.name, status: step.status },
      });
    });
  });

  it('fails with the last error once the retries are used up', async () => {
    const server = await harness.server();
    server.script(voiceId, ...Array<FakePreloadStep>(4).fill({ status: 503 }));
    const { readiness } = await harness.start(server, { retries: 2 });

    const error = await rejectionOf(readiness.preload(voiceId));

    expect(error).toBeInstanceOf(HamsaServerError);
    expect(server.requestsFor(voiceId)).toHaveLength(3);
    expect(readiness.getStatus(voiceId)).toMatchObject({
      state: 'failed',
      attempts: 3,
      error: { name: 'HamsaServerError', status: 503 },
    });
  });

  describe('Retry-After is honoured', () => {
    /** Headers of a 429, and the earliest time the retry may arrive given the first request's. */
    interface RetryAfterCase {
      headers: Record<string, string>;
      notBefore(firstReceivedAt: number): number;
    }

    it.each<[string, () => RetryAfterCase]>([
      ['in seconds', () => ({ headers: { 'Retry-After': '1' }, notBefore: (at) => at + 950 })],
      [
        'retry-after-ms',
        () => ({ headers: { 'retry-after-ms': '300' }, notBefore: (at) => at + 290 }),
      ],
      [
        'as an HTTP date',
        () => {
          // On a whole second, 1-2 s ahead: the header has a resolution of one second.
          const retryAt = Math.ceil(Date.now() / 1000) * 1000 + 1000;
          const headers = { 'Retry-After': new Date(retryAt).toUTCString() };
          return { headers, notBefore: () => retryAt - 20 };
        },
      ],
    ])('%s', async (_label, makeCase) => {
      const server = await harness.server();
      const { headers, notBefore } = makeCase();
      server.script(voiceId, { status: 429, headers });

      const { readiness } = await harness.start(server, { voiceIds: [voiceId] });

      const [first, second] = server.requestsFor(voiceId);
      expect(server.requestsFor(voiceId)).toHaveLength(2);
      expect(second.receivedAt).toBeGreaterThanOrEqual(notBefore(first.receivedAt));
      expect(readiness.isReady(voiceId)).toBe(true);
    });
  });

  it('fails at once when Retry-After reaches past the deadline', async () => {
    const server = await harness.server();
    server.script(voiceId, { status: 429, headers: { 'Retry-After': '30' } });
    const { readiness } = await harness.start(server, { deadlineMs: 2_000 });

    const startedAt = Date.now();
    const error = await rejectionOf(readiness.preload(voiceId));

    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(HamsaRateLimitError);
    expect((error as HamsaRateLimitError).retryAfterMs).toBe(30_000);
    expect(server.requestsFor(voiceId)).toHaveLength(1);
  });

  it.each<[string, Partial<HamsaVoiceModuleOptions>, number, number, RegExp]>([
    [
      'retries a hanging voice until deadlineMs',
      { requestTimeoutMs: 300, retries: 10, deadlineMs: 1_000 },
      2,
      5,
      /passed (requestTimeoutMs \(300|deadlineMs \(1000) ms\)/,
    ],
    [
      'cuts an attempt longer than deadlineMs short',
      { requestTimeoutMs: 5_000, retries: 10, deadlineMs: 500 },
      1,
      1,
      /passed deadlineMs \(500 ms\)/,
    ],
  ])('%s', async (_label, options, minRequests, maxRequests, message) => {
    const server = await harness.server();
    server.script(voiceId, ...Array<FakePreloadStep>(11).fill({ hang: true }));
    const { readiness } = await harness.start(server, options);

    const startedAt = Date.now();
    const error = await rejectionOf(readiness.preload(voiceId));

    expect(Date.now() - startedAt).toBeLessThan((options.deadlineMs ?? 0) + 1_500);
    expect(error).toBeInstanceOf(HamsaTimeoutError);
    expect((error as HamsaTimeoutError).message).toMatch(message);
    expect(readiness.getStatus(voiceId)).toMatchObject({
      state: 'failed',
      error: { name: 'HamsaTimeoutError' },
    });
    expect(server.requestsFor(voiceId).length).toBeGreaterThanOrEqual(minRequests);
    expect(server.requestsFor(voiceId).length).toBeLessThanOrEqual(maxRequests);
  });

  it('stops every voice after one 401: no retry storm, one error', async () => {
    const server = await harness.server();
    const voiceIds = [1, 2, 3, 4, 5, 6].map(fakeVoiceId);
    const app = await harness.compile(server, {
      apiKey: 'wrong-key',
      voiceIds,
      concurrency: 2,
    });

    const error = await rejectionOf(app.moduleRef.init());

    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    expect(server.requests.length).toBeLessThanOrEqual(2);
    for (const status of app.readiness.getAllStatuses()) {
      expect(status).toMatchObject({
        state: 'failed',
        error: { name: 'HamsaAuthenticationError' },
      });
    }
    expect(error).toBeInstanceOf(HamsaPreloadError);
    const { message } = error as HamsaPreloadError;
    expect(message.match(/HamsaAuthenticationError/g)).toHaveLength(1);
    expect(message.split('\n')).toHaveLength(2);
    expect(message.split('\n')[1]).toContain(voiceIds.join(', '));
    expect(message).not.toContain('wrong-key');
    const keyLines = app.logger.messages('error').filter((line) => /API key/.test(line));
    expect(keyLines).toHaveLength(1);
    expect(app.logger.messages('warn').filter((line) => /retrying/.test(line))).toEqual([]);
  });
});
