import { HamsaError } from './hamsa.error.js';

/**
 * `HamsaVoiceModule` (or another class of this package, such as `RedisHamsaCoordinator`) was given
 * invalid options; the message lists every bad option and its rule.
 */
export class HamsaOptionsError extends HamsaError {
  /** One line per broken rule, e.g. `concurrency must be an integer from 1 to 64`. */
  readonly problems: string[];

  /** @param subject What was given the options; default `HamsaVoiceModule`. */
  constructor(problems: string[], subject = 'HamsaVoiceModule') {
    super(`Invalid ${subject} options:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}
