/**
 * How long a 429/503 answer asks the client to wait, in ms: `retry-after-ms`, else
 * `Retry-After` as seconds or as an HTTP date — read against the answer's own `Date` when it has
 * one, so that this machine's clock (wrong, or stepped) does not change the wait. `undefined`
 * when absent or unreadable.
 */
export function parseRetryAfterMs(
  headers: Record<string, unknown>,
  now = Date.now(),
): number | undefined {
  const milliseconds = Number(headers['retry-after-ms']);
  if (
    headers['retry-after-ms'] !== undefined &&
    Number.isFinite(milliseconds) &&
    milliseconds >= 0
  ) {
    return milliseconds;
  }
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter !== 'string' || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  const answeredAt = typeof headers['date'] === 'string' ? Date.parse(headers['date']) : NaN;
  return Math.max(0, date - (Number.isNaN(answeredAt) ? now : answeredAt));
}
