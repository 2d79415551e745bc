import { HamsaError } from './hamsa.error.js';

/** What Hamsa answered, as parsed from a non-successful response. */
export interface HamsaApiErrorDetails {
  status: number;
  message: string;
  voiceId?: string;
  /** Hamsa's machine-readable code, e.g. `VOICE_NOT_FOUND`, when the body had one. */
  messageKey?: string;
  /** The `x-request-id` response header, to quote to Hamsa support. */
  requestId?: string;
}

/**
 * Hamsa answered with an error status (or a 2xx whose body says `success: false`).
 * Subclasses name the common cases; this class covers the rest (408, 409, …).
 */
export class HamsaApiError extends HamsaError {
  /** HTTP status of Hamsa's answer. */
  readonly status: number;
  readonly messageKey?: string;
  readonly requestId?: string;

  constructor(details: HamsaApiErrorDetails, retryable = false) {
    super(details.message, { voiceId: details.voiceId, retryable });
    this.status = details.status;
    if (details.messageKey !== undefined) this.messageKey = details.messageKey;
    if (details.requestId !== undefined) this.requestId = details.requestId;
  }
}

/** 400: Hamsa rejected the request, e.g. a malformed voice ID. Never retried. */
export class HamsaBadRequestError extends HamsaApiError {}

/** 401/403: the API key is missing, invalid or not allowed. Stops all preloading at once. */
export class HamsaAuthenticationError extends HamsaApiError {}

/** 404: no cloned voice with this ID exists on the account. Never retried. */
export class HamsaVoiceNotFoundError extends HamsaApiError {}

/** 429: too many requests. Retried, after `Retry-After` when Hamsa sends one. */
export class HamsaRateLimitError extends HamsaApiError {
  /** How long Hamsa asked to wait (`Retry-After` or `retry-after-ms`), in ms. */
  readonly retryAfterMs?: number;

  constructor(details: HamsaApiErrorDetails, retryAfterMs?: number) {
    super(details, true);
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

/** 402, or a 429 saying "usage limit": the plan's allowance is spent. Retrying never helps. */
export class HamsaQuotaExceededError extends HamsaApiError {}

/** 5xx: Hamsa failed. Retried with backoff. */
export class HamsaServerError extends HamsaApiError {
  constructor(details: HamsaApiErrorDetails) {
    super(details, true);
  }
}
