import { HamsaError } from './hamsa.error.js';

/** `HamsaVoiceModule` was given invalid options; the message lists every bad option and its rule. */
export class HamsaOptionsError extends HamsaError {
  /** One line per broken rule, e.g. `concurrency must be an integer from 1 to 64`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid HamsaVoiceModule options:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}
