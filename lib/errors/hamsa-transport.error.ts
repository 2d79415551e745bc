import { HamsaError } from './hamsa.error.js';

/** The request never got an answer: connection refused, reset, DNS failure, TLS failure. Retried. */
export class HamsaConnectionError extends HamsaError {
  /** Node's error code, e.g. `ECONNREFUSED`, when there was one. */
  readonly code?: string;

  constructor(message: string, options: { voiceId?: string; code?: string } = {}) {
    super(message, { voiceId: options.voiceId, retryable: true });
    if (options.code !== undefined) this.code = options.code;
  }
}

/** An attempt passed `requestTimeoutMs`, or a voice passed its `deadlineMs`. */
export class HamsaTimeoutError extends HamsaError {
  /** The limit that was passed, in ms. */
  readonly timeoutMs: number;

  constructor(message: string, options: { voiceId?: string; timeoutMs: number }) {
    super(message, { voiceId: options.voiceId, retryable: true });
    this.timeoutMs = options.timeoutMs;
  }
}
