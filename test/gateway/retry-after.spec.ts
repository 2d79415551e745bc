import { describe, expect, it } from '@jest/globals';
import { parseRetryAfterMs } from '../../lib/gateway/retry-after.js';

const now = Date.parse('2026-11-25T12:00:00Z');

describe('parseRetryAfterMs', () => {
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': 'Wed, 25 Nov 2026 12:00:05 GMT' }, 5000],
    [{ 'retry-after': 'Wed, 25 Nov 2026 11:59:00 GMT' }, 0],
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after-ms': 'soon', 'retry-after': '1' }, 1000],
    [{ 'retry-after': 'later' }, undefined],
    [{ 'retry-after': '-4' }, undefined],
    [{}, undefined],
    // Against the answer's own Date: this machine's clock an hour behind changes nothing.
    [
      { 'retry-after': 'Wed, 25 Nov 2026 13:00:05 GMT', date: 'Wed, 25 Nov 2026 13:00:00 GMT' },
      5000,
    ],
    [{ 'retry-after': 'Wed, 25 Nov 2026 12:00:05 GMT', date: 'not a date' }, 5000],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(parseRetryAfterMs(headers, now)).toBe(expected);
  });
});
