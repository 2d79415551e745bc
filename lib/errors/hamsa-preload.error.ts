import { HamsaError } from './hamsa.error.js';

/** One voice that failed to preload, and why. */
export interface VoicePreloadFailure {
  voiceId: string;
  error: HamsaError;
}

/**
 * What a failed bootstrap rejects with (`waitForReady` and `failOnError` both `true`):
 * every voice that failed, and the reason of each.
 *
 * Voices that failed for one shared reason (a rejected API key stops every voice at once)
 * share one line of the message.
 */
export class HamsaPreloadError extends HamsaError {
  readonly failures: VoicePreloadFailure[];

  constructor(failures: VoicePreloadFailure[], total: number) {
    super(`${failures.length} of ${total} Hamsa voices failed to preload:\n  ${reasons(failures)}`);
    this.failures = failures;
  }
}

function reasons(failures: VoicePreloadFailure[]): string {
  const voicesByError = new Map<HamsaError, string[]>();
  for (const { voiceId, error } of failures) {
    voicesByError.set(error, [...(voicesByError.get(error) ?? []), voiceId]);
  }
  return [...voicesByError]
    .map(([error, voiceIds]) => `${voiceIds.join(', ')}: ${error.name}: ${error.message}`)
    .join('\n  ');
}
