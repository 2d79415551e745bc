import { isUuid } from './voice-id.js';

/**
 * Only hex digits, dashes and whitespace, 30 characters or more: meant as a cloned-voice UUID
 * (typed, pasted or cut wrongly), never a built-in speaker's name.
 */
const UUID_LIKE = /^[\s0-9a-f-]{30,}$/i;

/**
 * What a speaker (or a voice ID given to the readiness API) stands for: a cloned voice's `uuid`
 * (preloaded before use); a `malformed-uuid`, one that looks meant as a UUID but is not one (a
 * character short, a space inside), which must be refused rather than sent to Hamsa as a name; or
 * the `name` of a built-in speaker ("Amjad", "Layan"), which needs no preload.
 */
export type SpeakerKind = 'uuid' | 'malformed-uuid' | 'name';

/** The kind of `speaker`; see `SpeakerKind`. */
export function speakerKind(speaker: string): SpeakerKind {
  if (isUuid(speaker)) return 'uuid';
  return UUID_LIKE.test(speaker) ? 'malformed-uuid' : 'name';
}
