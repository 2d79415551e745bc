import { HamsaError } from './hamsa.error.js';

/**
 * Any error as a `HamsaError`. A non-Hamsa one would be a bug: it is wrapped, keeping its text,
 * its stack and itself as `cause`.
 */
export function toHamsaError(error: unknown): HamsaError {
  if (error instanceof HamsaError) return error;
  const wrapped = new HamsaError(error instanceof Error ? error.message : String(error), {
    cause: error,
  });
  if (error instanceof Error && error.stack) wrapped.stack = error.stack;
  return wrapped;
}
