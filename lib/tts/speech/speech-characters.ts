/** Characters that end a sentence when whitespace follows: `. ! ? ؟ ؛ …`. */
const SENTENCE_ENDS = new Set(['.', '!', '?', '؟', '؛', '…']);
/** Closing quotes and brackets that stay with the sentence they close. */
const CLOSERS = new Set(['"', "'", '”', '’', '»', '›', ')', ']', '}']);
/** Where an over-long sentence is cut first, when whitespace follows: `، , ; :`. */
const CLAUSE_ENDS = new Set(['،', ',', ';', ':']);
/** A letter or a digit, of any script: something Hamsa can say. */
const SPEAKABLE = /[\p{L}\p{N}]/u;
const WHITESPACE_RUN = /\s+/g;
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;

/**
 * Collapses each whitespace run into one `'\n'` (when it holds a line break, a sentence end) or
 * one `' '`.
 */
export function normalizeWhitespace(text: string): string {
  return text.replace(WHITESPACE_RUN, (run) => (LINE_BREAK.test(run) ? '\n' : ' '));
}

/** Whether the character at `index` of normalized text is whitespace (`' '` or `'\n'`). */
export function isSpace(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code === 32 || code === 10;
}

/** Whether the character starting at `index` is a letter or a digit. */
export function isSpeakableAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) {
    return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  }
  return SPEAKABLE.test(String.fromCodePoint(text.codePointAt(index)!));
}

/** Whether `text` holds a letter or a digit. */
export function hasSpeakable(text: string): boolean {
  return SPEAKABLE.test(text);
}

/** Whether the UTF-16 unit at `index` is the first half of a surrogate pair. */
export function isHighSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff;
}

/** How a word ending just before `end` closes: a sentence, a clause, or neither. */
export function closingOf(text: string, from: number, end: number): 'sentence' | 'clause' | 'none' {
  let index = end - 1;
  while (index > from && CLOSERS.has(text[index])) index--;
  if (SENTENCE_ENDS.has(text[index])) return 'sentence';
  return CLAUSE_ENDS.has(text[index]) ? 'clause' : 'none';
}
