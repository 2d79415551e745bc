import { type AxiosResponse } from 'axios';
import { type HamsaCoordinator } from '../coordination/hamsa-coordinator.interface.js';
import { HamsaAuthenticationError, HamsaRateLimitError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { CallScope } from '../gateway/call-scope.js';
import { HAMSA_ENDPOINTS } from '../gateway/hamsa-endpoints.js';
import { errorFromResponse, type HamsaAnswer } from '../gateway/error-from-response.js';
import { type HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { type VoiceStatusUpdate } from '../state/voice-status.store.js';
import { type HamsaTelemetry } from '../telemetry/hamsa-telemetry.js';

/** What an attempt is for, as its timeout message says it: `Preload` or `Refresh`. */
export type PreloadPurpose = 'Preload' | 'Refresh';

/** What one preload request needs besides the client. */
export interface PreloadAttemptOptions {
  voiceId: string;
  requestTimeoutMs: number;
  purpose: PreloadPurpose;
  /** Aborts the attempt (shutdown, a rejected key, the voice's deadline). */
  signal: AbortSignal;
  /** Counts the attempt in `hamsa.voice.preload.attempts`. */
  telemetry: HamsaTelemetry;
  /** Paces requests and shares preloads with other replicas. */
  coordinator: HamsaCoordinator;
}

/** How one attempt ended: Hamsa answered this replica's request, or another replica preloaded the voice. */
export type PreloadAttemptOutcome = 'sent' | 'preloaded-elsewhere';

/**
 * One preload attempt through the coordinator: a preload first claims the voice (another replica
 * may have preloaded it, or hold it: then this waits for its outcome), then every request takes a
 * token of the shared rate limit before it is sent. Without a coordinator both steps are instant.
 */
export async function preloadAttempt(
  http: HamsaHttpClient,
  options: PreloadAttemptOptions,
): Promise<PreloadAttemptOutcome> {
  const { voiceId, requestTimeoutMs, purpose, signal, coordinator } = options;
  const claim =
    purpose === 'Preload'
      ? await coordinator.claimPreload(voiceId, requestTimeoutMs, signal)
      : undefined;
  if (claim === 'preloaded') return 'preloaded-elsewhere';
  let succeeded = false;
  try {
    await coordinator.takeToken(voiceId, signal);
    await sendPreload(http, options);
    succeeded = true;
    return 'sent';
  } catch (error) {
    // A 429 tells the coordinator, which may pause the other replicas' requests too.
    if (error instanceof HamsaRateLimitError) {
      coordinator.reportRateLimited?.(voiceId, error.retryAfterMs);
    }
    throw error;
  } finally {
    // Never rejects; a lease given up early lets a waiting replica take over sooner.
    void claim?.settle(succeeded);
  }
}

/**
 * One preload request: Hamsa's answer becomes its typed error (a rejected key is recorded on
 * the client, which stops every other preload), and an attempt that takes longer than
 * `requestTimeoutMs` from getting its socket a `HamsaTimeoutError`. Each request is counted.
 */
async function sendPreload(http: HamsaHttpClient, options: PreloadAttemptOptions): Promise<void> {
  const { voiceId, requestTimeoutMs, purpose, signal, telemetry } = options;
  const scope = new CallScope(signal);
  const onSocket = () =>
    scope.arm(requestTimeoutMs, () =>
      voiceTimeoutError(purpose, voiceId, 'requestTimeoutMs', requestTimeoutMs),
    );
  let response: AxiosResponse<string>;
  try {
    response = await http.send<string>(
      { method: 'POST', url: HAMSA_ENDPOINTS.preload, data: { voiceId } },
      { voiceId, signal: scope.signal, onSocket },
    );
  } catch (error) {
    const failure = scope.failure(error);
    telemetry.preloadAttempt(undefined, failure);
    throw failure;
  } finally {
    scope.dispose();
  }
  const error = errorFromResponse(answerOf(response), voiceId, http.redact);
  telemetry.preloadAttempt(response.status, error);
  if (error instanceof HamsaAuthenticationError) http.rejectKey(error);
  if (error) throw error;
}

/** Hamsa's answer, with the URL that gave it (a wrong endpoint's error names it). */
function answerOf(response: AxiosResponse<string>): HamsaAnswer {
  const { status, headers, data, config } = response;
  return { status, headers, data, url: `${config.baseURL ?? ''}${config.url ?? ''}` };
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
