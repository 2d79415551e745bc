/**
 * Internal option of `HamsaTtsService.stream()` and `speak()` (never exported): the caller,
 * `speakText()`, already awaited the speaker's readiness once for all its segments.
 */
export const VOICE_CHECKED = Symbol('nestjs-hamsa.voiceChecked');

/** Options that may carry `VOICE_CHECKED`. */
export interface VoiceCheckedOption {
  readonly [VOICE_CHECKED]?: true;
}

/** Whether the caller already awaited the speaker's readiness. */
export function isVoiceChecked(options: object): boolean {
  return (options as VoiceCheckedOption)[VOICE_CHECKED] === true;
}
