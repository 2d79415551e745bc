import { describe, expect, it } from '@jest/globals';
import { HamsaRateLimitError, HamsaServerError } from '../../lib/index.js';
import { backoffDelayMs, backoffMs } from '../../lib/gateway/backoff.js';

const options = { retryDelayMs: 100, maxRetryDelayMs: 1_000 };
const serverError = new HamsaServerError({ status: 503, message: 'busy' });
const lowest = () => 0;
const highest = () => 0.999_999;

describe('backoffDelayMs', () => {
  it.each([
    [1, 50, 100],
    [2, 100, 200],
    [3, 200, 400],
    [5, 500, 1_000],
    [9, 500, 1_000],
  ])('retry %i waits between %i and %i ms (exponential, capped, jittered)', (retry, min, max) => {
    expect(backoffDelayMs(serverError, retry, options, lowest)).toBe(min);
    expect(backoffDelayMs(serverError, retry, options, highest)).toBe(max);
  });

  it('waits at least as long as Retry-After asks, plus up to retryDelayMs of jitter', () => {
    const rateLimited = new HamsaRateLimitError({ status: 429, message: 'slow down' }, 3_000);

    expect(backoffDelayMs(rateLimited, 1, options, lowest)).toBe(3_000);
    expect(backoffDelayMs(rateLimited, 1, options, highest)).toBe(3_100);
  });
});

describe('backoffMs, the one wait of every retry, recovery, refresh and startup', () => {
  it.each([
    [
      'an exact doubling wait (recovery)',
      { baseMs: 30_000, capMs: 300_000, jitter: 0 },
      3,
      120_000,
      120_000,
    ],
    ['capped', { baseMs: 30_000, capMs: 300_000, jitter: 0 }, 9, 300_000, 300_000],
    [
      '80–100 % of an interval (keep-warm)',
      { baseMs: 1_000, capMs: 1_000, jitter: 0.2 },
      1,
      800,
      1_000,
    ],
    [
      'anywhere up to the wait (startup jitter)',
      { baseMs: 5_000, capMs: 5_000, jitter: 1 },
      1,
      0,
      5_000,
    ],
  ])('%s', (_, backoff, round, min, max) => {
    expect(backoffMs(round, backoff, lowest)).toBe(min);
    expect(backoffMs(round, backoff, highest)).toBe(max);
  });
});
