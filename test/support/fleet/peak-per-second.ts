import { type RecordedRequest } from '../../../lib/testing/index.js';

/** The most requests received within any window of 1000 ms (a sliding window, not buckets). */
export function peakPerSecond(requests: readonly RecordedRequest[]): number {
  const times = requests.map((request) => request.receivedAt).sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= 1000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}
