/** What stands for the key in text that came from outside. */
const REDACTED = '[redacted]';

/**
 * The API key's one home (internal): a `#private` field, which `util.inspect` (even with
 * `showHidden`), `JSON.stringify` and object spreads never show, with the forms the wire needs
 * and the redaction of every form in which a server may echo it. The forms are methods, not
 * getters, so that `util.inspect(…, { getters: true })` does not call them.
 */
export class HamsaApiKey {
  readonly #key: string;
  readonly #anyForm: RegExp;

  constructor(key: string) {
    this.#key = key;
    this.#anyForm = anyFormOf(key);
  }

  /** `Authorization: Token <key>`, how REST and stream calls carry the key. */
  authorizationHeader(): { Authorization: string } {
    return { Authorization: `Token ${this.#key}` };
  }

  /** `X-Api-Key: <key>`, how the WebSocket upgrade carries it by default. */
  apiKeyHeader(): { 'X-Api-Key': string } {
    return { 'X-Api-Key': this.#key };
  }

  /** `api_key=<URL-encoded key>`, the query parameter of `tts.webSocketAuth: 'query'`. */
  queryParameter(): string {
    return `api_key=${encodeURIComponent(this.#key)}`;
  }

  /**
   * `text` with every occurrence of the key replaced by `[redacted]`: raw, URL-encoded (any
   * character as `%XX`, hex digits in either case, as `encodeURIComponent` and form encoding
   * write it), or JSON-escaped (`\/`, `\"`, `\\`). Redact a text whole, before cutting it.
   */
  redact = (text: string): string => text.replace(this.#anyForm, REDACTED);

  /** Never the key, should the object itself be serialised. */
  toJSON(): string {
    return REDACTED;
  }
}

/** Matches the key with each character raw, backslash-escaped or percent-encoded. */
function anyFormOf(key: string): RegExp {
  const characters = [...key].map((character) => {
    const hex = character.charCodeAt(0).toString(16).padStart(2, '0');
    const percent = `%${hex[0]}[${hex[1].toUpperCase()}${hex[1].toLowerCase()}]`;
    const raw = character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    // A space is written `+` in a form-encoded query (the options forbid spaces in the key).
    const plus = character === ' ' ? '|\\+' : '';
    return `(?:\\\\?${raw}|${percent}${plus})`;
  });
  return new RegExp(characters.join(''), 'g');
}
