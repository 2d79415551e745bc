import { Logger, type LoggerService } from '@nestjs/common';

/** How terminus' `HealthCheckService` starts the error line it writes for every failed check. */
const FAILED_CHECK = 'Health Check has failed!';

/**
 * Terminus' logger in the sample: its shutdown lines ("Awaiting 5000ms before shutdown") as they
 * are, without the `ERROR Health Check has failed!` it writes for every 503. A readiness probe
 * fails every few seconds while voices load or Hamsa is down; nestjs-hamsa already logs each voice's
 * transitions once, and the 503's body says why to whoever probes.
 */
export class HealthCheckLogger implements LoggerService {
  private readonly logger = new Logger('Terminus');

  log(message: unknown): void {
    this.logger.log(message);
  }

  warn(message: unknown): void {
    this.logger.warn(message);
  }

  error(message: unknown, ...rest: unknown[]): void {
    if (typeof message === 'string' && message.startsWith(FAILED_CHECK)) return;
    this.logger.error(message, ...rest);
  }
}
