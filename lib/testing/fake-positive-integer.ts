/**
 * Validates an optional positive-integer option of `FakeHamsaServer` and returns it, or
 * `fallback` when it is omitted. Throws a `RangeError` naming the option, what it means and its
 * default, so a typo fails at `start()` and not later as odd behaviour.
 */
export function positiveIntegerOption(
  name: string,
  value: number | undefined,
  fallback: number,
  meaning: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `FakeHamsaServer: ${name} must be a positive integer (${meaning}), ` +
        `got ${String(value)}; omit it for the default ${fallback}.`,
    );
  }
  return value;
}
