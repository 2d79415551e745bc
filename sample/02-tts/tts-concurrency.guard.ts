import { type ServerResponse } from 'node:http';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';

/** TTS requests answered at once, unless `TTS_MAX_CONCURRENT` says otherwise. */
const DEFAULT_MAX_CONCURRENT = 8;
/** What a 503 tells the client to wait before trying again, in seconds. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Lets at most `TTS_MAX_CONCURRENT` TTS requests run at once (each holds a WAV in memory until it
 * is sent); one more answers 503 with `Retry-After` before any work. A slot is freed when its
 * response closes: sent, failed, or left by its client.
 */
@Injectable()
export class TtsConcurrencyGuard implements CanActivate {
  private readonly max = Number(process.env.TTS_MAX_CONCURRENT ?? DEFAULT_MAX_CONCURRENT);
  private running = 0;

  canActivate(context: ExecutionContext): boolean {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    if (this.running >= this.max) {
      response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
      throw new ServiceUnavailableException(
        `${this.max} TTS requests are running: try again in ${RETRY_AFTER_SECONDS} s`,
      );
    }
    this.running++;
    response.once('close', () => this.running--);
    return true;
  }
}
