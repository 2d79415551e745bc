import { HamsaError } from './hamsa.error.js';

/**
 * A TTS request broke a rule (text length, dialect, speaker) and was not sent.
 * Thrown before any I/O, so fixing the request is the only remedy.
 */
export class HamsaTtsRequestError extends HamsaError {
  /** One line per broken rule, e.g. `text must be 1–2000 characters, got 2001`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid Hamsa TTS request:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/**
 * Hamsa's real-time WebSocket answered a request with `{"type":"error"}`; the session stays
 * open for the next request.
 */
export class HamsaRealtimeError extends HamsaError {}
