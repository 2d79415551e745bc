/** A UUID of any version, case-insensitive. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a voice ID is a UUID, the form of every cloned voice.
 * Built-in speakers ("Amjad", "Layan") are names and need no preload.
 */
export function isUuid(voiceId: unknown): voiceId is string {
  return typeof voiceId === 'string' && UUID_PATTERN.test(voiceId);
}

/**
 * The one form under which the module knows a voice: a UUID in lower case, anything else (a
 * built-in speaker's name, a malformed ID) unchanged. UUIDs are case-insensitive, so
 * `48F7656F-…` and `48f7656f-…` are one voice, preloaded once and reported in lower case.
 *
 * @example
 * canonicalVoiceId('48F7656F-098B-4C43-B165-7CFD2CC8AC30'); // '48f7656f-098b-4c43-b165-7cfd2cc8ac30'
 * canonicalVoiceId('Amjad'); // 'Amjad'
 */
export function canonicalVoiceId(voiceId: string): string {
  // A caller without types may pass anything: it stays unknown to the module, as before.
  if (typeof voiceId !== 'string') return voiceId;
  // Cheap on the hot path: an ID already in lower case (the usual one) needs no pattern test.
  const lower = voiceId.toLowerCase();
  return lower === voiceId || !UUID_PATTERN.test(voiceId) ? voiceId : lower;
}
