/** A UUID of any version, case-insensitive. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a voice ID is a UUID, the form of every cloned voice.
 * Built-in speakers ("Amjad", "Layan") are names and need no preload.
 */
export function isUuid(voiceId: unknown): voiceId is string {
  return typeof voiceId === 'string' && UUID_PATTERN.test(voiceId);
}
