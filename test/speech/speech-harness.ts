import { type FakeTtsCall } from '../../lib/testing/index.js';

/** `text` as an LLM would stream it: pieces of `size` characters (cutting words and marks). */
export function tokensOf(text: string, size: number): string[] {
  const tokens: string[] = [];
  for (let at = 0; at < text.length; at += size) tokens.push(text.slice(at, at + size));
  return tokens;
}

/** Most calls the fake was answering at the same time (a call ending as another came: not both). */
export function peakConcurrency(calls: readonly FakeTtsCall[]): number {
  const events = calls.flatMap((call) => [
    { at: call.receivedAt, change: 1 },
    { at: call.endedAt ?? Number.POSITIVE_INFINITY, change: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.change - b.change);
  let now = 0;
  let peak = 0;
  for (const { change } of events) peak = Math.max(peak, (now += change));
  return peak;
}
