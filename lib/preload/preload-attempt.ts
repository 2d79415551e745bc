import { map, type Observable, throwError, timeout } from 'rxjs';
import { PRELOAD_PATH } from '../hamsa-voice.constants.js';
import { HamsaError } from '../errors/hamsa.error.js';
import { HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { errorFromResponse } from '../http/error-from-response.js';
import { type HamsaHttpClient } from '../http/hamsa-http.client.js';
import { type VoiceStatusUpdate } from '../readiness/voice-status.store.js';

/** What an attempt is for, as its timeout message says it: `Preload` or `Refresh`. */
export type PreloadPurpose = 'Preload' | 'Refresh';

/**
 * One preload request: Hamsa's answer becomes its typed error, and an attempt slower than
 * `requestTimeoutMs` a `HamsaTimeoutError`. Unsubscribing aborts the request.
 */
export function preloadAttempt$(
  http: HamsaHttpClient,
  voiceId: string,
  requestTimeoutMs: number,
  purpose: PreloadPurpose,
): Observable<void> {
  return http.postJson(PRELOAD_PATH, { voiceId }, voiceId).pipe(
    map((response) => {
      const error = errorFromResponse(response, voiceId, http.redact);
      if (error) throw error;
    }),
    timeout({
      first: requestTimeoutMs,
      with: () =>
        throwError(() => voiceTimeoutError(purpose, voiceId, 'requestTimeoutMs', requestTimeoutMs)),
    }),
  );
}

/** A voice's preload or refresh passed one of its time limits. */
export function voiceTimeoutError(
  purpose: PreloadPurpose,
  voiceId: string,
  option: 'requestTimeoutMs' | 'deadlineMs',
  timeoutMs: number,
): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `${purpose} of voice ${voiceId} passed ${option} (${timeoutMs} ms)`,
    {
      voiceId,
      timeoutMs,
    },
  );
}

/** The `failed` status of a voice, its error reduced to the fields safe to show. */
export function failedStatus(
  voiceId: string,
  attempts: number,
  durationMs: number,
  error: HamsaError,
): VoiceStatusUpdate {
  const { name, message, retryable } = error;
  const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  return {
    voiceId,
    state: 'failed',
    attempts,
    durationMs,
    error: { name, message, retryable, ...(status === undefined ? {} : { status }) },
  };
}

/** Any error as a `HamsaError` (a non-Hamsa one would be a bug; it keeps its text). */
export function toHamsaError(error: unknown): HamsaError {
  return error instanceof HamsaError ? error : new HamsaError(String(error));
}
