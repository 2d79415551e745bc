import { HamsaError } from '../errors/hamsa.error.js';
import { HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { VoiceNotReadyError } from '../errors/voice-readiness.error.js';
import { CallScope } from '../gateway/call-scope.js';
import { type TelemetryContext } from '../telemetry/hamsa-telemetry.js';
import { type HamsaTtsSessionRequest, type HamsaTtsSpeakOptions } from './hamsa-tts.interfaces.js';
import { type HamsaTtsSessionContext } from './hamsa-tts.session.js';
import { type SessionPool } from './session-pool.js';
import { isVoiceChecked } from './voice-checked.js';

/** What a pooled utterance needs from `TtsSessions` (internal). */
export interface PooledSpeakDeps {
  pool: SessionPool;
  voiceReady: HamsaTtsSessionContext['voiceReady'];
  telemetry: HamsaTtsSessionContext['telemetry'];
  /** Aborts at shutdown. */
  stopping: AbortSignal;
  /** Asks again after this many failures at most (the module's `retries`). */
  retries: number;
  /** Default `timeoutMs`: the module's `requestTimeoutMs`. */
  requestTimeoutMs: number;
  /** Logs that an utterance is asked again on another session. */
  onRetry(error: HamsaError, retryNumber: number): void;
}

/**
 * One utterance on a pooled session (see `HamsaTtsService.speak()`): the voice first, then a
 * session, then the request; a retryable failure before any audio reached the caller is asked
 * again on another session, the failed one closed. Recorded as one `hamsa.tts.speak` call.
 */
export async function* speakPooled(
  deps: PooledSpeakDeps,
  request: HamsaTtsSessionRequest,
  options: HamsaTtsSpeakOptions,
  parent: TelemetryContext,
): AsyncGenerator<Buffer> {
  const { speaker } = request;
  const recording = deps.telemetry.tts('websocket', parent);
  const scope = new CallScope(options.signal, deps.stopping);
  let failure: unknown;
  try {
    if (!isVoiceChecked(options)) await deps.voiceReady(speaker, undefined, scope.signal);
    for (let retryNumber = 1; ; retryNumber++) {
      const session = await acquire(deps, speaker, options, scope.signal);
      let delivered = false;
      let reusable = true;
      try {
        for await (const frame of session.speak(request, options)) {
          delivered = true;
          recording.firstAudio();
          yield frame;
        }
        return;
      } catch (error) {
        // A session that failed for a reason that may pass (closed, empty answer) is not reused.
        const retryable = isRetryable(error);
        reusable = !retryable;
        if (delivered || !retryable || retryNumber > deps.retries || scope.signal.aborted) {
          throw error;
        }
        deps.onRetry(error as HamsaError, retryNumber);
      } finally {
        deps.pool.giveBack(session, reusable);
      }
    }
  } catch (error) {
    // Its session was closed under it: the application shut down, Hamsa did not fail.
    failure = deps.stopping.aborted
      ? new VoiceNotReadyError(speaker, undefined, 'shutdown')
      : scope.failure(error);
    throw failure;
  } finally {
    recording.ended(failure);
    scope.dispose();
  }
}

/** A free session, waited for at most `timeoutMs` (opening one included). */
async function acquire(
  deps: PooledSpeakDeps,
  speaker: string,
  options: HamsaTtsSpeakOptions,
  signal: AbortSignal,
) {
  const timeoutMs = options.timeoutMs ?? deps.requestTimeoutMs;
  const option =
    options.timeoutMs === undefined ? 'timeoutMs, by default requestTimeoutMs' : 'timeoutMs';
  const wait = new CallScope(signal);
  wait.limit(timeoutMs, () => {
    const { maxSessions } = deps.pool;
    return new HamsaTimeoutError(
      `Waited ${timeoutMs} ms (${option}) for a free Hamsa TTS session: all ${maxSessions} ` +
        `(tts.maxSessions) were busy or opening (speaker ${speaker})`,
      { voiceId: speaker, timeoutMs },
    );
  });
  try {
    return await deps.pool.acquire(wait.signal);
  } catch (error) {
    throw wait.failure(error);
  } finally {
    wait.dispose();
  }
}

function isRetryable(error: unknown): boolean {
  return error instanceof HamsaError && error.retryable;
}
