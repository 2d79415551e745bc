/**
 * Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: what a terminal,
 * a log shipper or a JSON-lines reader could take for the end of a line or an escape sequence.
 */
// oxlint-disable-next-line no-control-regex -- matching them is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

/** Longest value written to a log line as given; the rest is cut, its length noted. */
const MAX_LOGGED_LENGTH = 500;

/**
 * A value that came from a caller or from Hamsa (a speaker, a voice ID, a server's message), safe
 * to put in a log line: control characters and line separators are written as escapes (`\n`,
 * `\u001b`), so that the value cannot end the line and forge another, and a very long value is cut.
 *
 * @example
 * escapeForLog('Amjad\nERROR forged'); // 'Amjad\\nERROR forged'
 */
export function escapeForLog(value: string): string {
  const escaped = value.replace(CONTROL_CHARACTERS, escapeCharacter);
  if (escaped.length <= MAX_LOGGED_LENGTH) return escaped;
  return `${escaped.slice(0, MAX_LOGGED_LENGTH)}… (${value.length} characters)`;
}

function escapeCharacter(character: string): string {
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  if (character === '\t') return '\\t';
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
