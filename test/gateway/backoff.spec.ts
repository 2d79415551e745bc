import { describe, expect, it } from '@jest/globals';
import { HamsaRateLimitError, HamsaServerError } from '../../lib/index.js';
import { backoffDelayMs } from '../../lib/gateway/backoff.js';

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
