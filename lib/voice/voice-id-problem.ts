/** Letters only, as the names of built-in speakers ("Amjad", "Layan") are. */
const SPEAKER_NAME = /^\p{L}+$/u;
const NOT_UUID_CHARACTER = /[^0-9a-f-]/i;
const UNDASHED_UUID = /^[0-9a-f]{32}$/i;
const UUID_SHAPE = 'a UUID is 8-4-4-4-12 hex digits, e.g. 48f7656f-098b-4c43-b165-7cfd2cc8ac30';

/** Whether a value that is not a UUID looks like a built-in speaker's name (letters only). */
export function looksLikeSpeakerName(value: string): boolean {
  return SPEAKER_NAME.test(value);
}

/**
 * What is wrong with a string that is not a UUID, in words that follow it (`"abc" has 3
 * characters, but …`). Callers check `looksLikeSpeakerName()` first: a name gets its own hint.
 */
export function voiceIdProblem(value: string): string {
  if (value === '') return 'is empty';
  const space = value.search(/\s/);
  if (space >= 0) return `contains whitespace (character ${space + 1}), which no voice ID has`;
  const bad = NOT_UUID_CHARACTER.exec(value);
  if (bad) {
    return (
      `contains ${JSON.stringify(bad[0])} (character ${bad.index + 1}), ` +
      'but a UUID holds hex digits (0-9, a-f) and dashes only'
    );
  }
  if (UNDASHED_UUID.test(value)) return `has no dashes: ${UUID_SHAPE}`;
  if (value.length !== 36)
    return `has ${value.length} characters, but a UUID has 36: ${UUID_SHAPE}`;
  return `has its dashes in the wrong places: ${UUID_SHAPE}`;
}
