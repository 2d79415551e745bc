/**
 * Base class of every error this package throws.
 *
 * It holds no request configuration and no headers, so logging or serialising it never
 * leaks the API key. Catch it to handle any Hamsa failure in one place.
 */
export class HamsaError extends Error {
  /** Whether trying again later may succeed (network trouble, timeouts, 5xx, plain 429). */
  readonly retryable: boolean;
  /** The voice the failed operation concerned, when there was one. */
  readonly voiceId?: string;

  constructor(
    message: string,
    options: { voiceId?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
    if (options.voiceId !== undefined) this.voiceId = options.voiceId;
  }

  /** The error's own fields, for `JSON.stringify` (which otherwise drops `message`). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}
