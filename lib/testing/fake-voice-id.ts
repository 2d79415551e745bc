/**
 * Returns a deterministic, well-formed voice UUID such as `00000000-0000-4000-8000-000000000007`.
 * Use it in tests to name many distinct cloned voices without writing UUIDs by hand.
 */
export function fakeVoiceId(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e12) {
    throw new RangeError(`fakeVoiceId expects an integer from 0 to 999999999999, got ${n}`);
  }
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
