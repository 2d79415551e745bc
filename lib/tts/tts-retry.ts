import { HamsaRateLimitError, HamsaServerError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaEmptyAudioError } from '../errors/hamsa-empty-audio.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { type RetryPolicy } from '../gateway/retry.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';

/**
 * Whether a failed TTS attempt provably never started on Hamsa's side, so that sending it again
 * cannot bill it twice: connection refused, 429 with `Retry-After`, 503.
 */
export function didNotStart(error: unknown): error is HamsaError {
  if (error instanceof HamsaConnectionError) return error.code === 'ECONNREFUSED';
  if (error instanceof HamsaRateLimitError) return error.retryAfterMs !== undefined;
  return error instanceof HamsaServerError && error.status === 503;
}

/**
 * How TTS calls and WebSocket openings retry: only what `didNotStart`, at most `retries` times,
 * and never after a `Retry-After` longer than `maxRetryDelayMs` (plus the jitter of
 * `retryDelayMs`) — give up rather than hang.
 */
export function ttsRetryPolicy(
  options: ResolvedHamsaVoiceOptions,
  onRetry: RetryPolicy['onRetry'],
): RetryPolicy {
  const { retries, retryDelayMs, maxRetryDelayMs } = options;
  return {
    retries,
    retryDelayMs,
    maxRetryDelayMs,
    canRetry: didNotStart,
    maxWaitMs: maxRetryDelayMs + retryDelayMs,
    onRetry,
  };
}

/**
 * How a REST or stream call retries: as `ttsRetryPolicy`, and also after an empty answer
 * (`HamsaEmptyAudioError`), which reached nobody, so that a new request is all it costs.
 */
export function ttsAnswerRetryPolicy(
  options: ResolvedHamsaVoiceOptions,
  onRetry: RetryPolicy['onRetry'],
): RetryPolicy {
  return {
    ...ttsRetryPolicy(options, onRetry),
    canRetry: (error): error is HamsaError =>
      error instanceof HamsaEmptyAudioError || didNotStart(error),
  };
}
