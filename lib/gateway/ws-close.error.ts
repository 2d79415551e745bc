import {
  HamsaAuthenticationError,
  HamsaQuotaExceededError,
  HamsaServerError,
} from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';

/**
 * The typed error a WebSocket close code stands for: 4001 authentication failed (as a 401),
 * 4003 insufficient funds (as a 402), 4500 internal error (as a 500); any other code is a
 * `HamsaConnectionError` whose `code` is the close code.
 */
export function errorFromCloseCode(
  code: number,
  reason: string,
  redact: (text: string) => string,
): HamsaError {
  const said = reason ? `: ${reason}` : '';
  const message = (what: string) =>
    redact(`Hamsa closed the WebSocket with code ${code} (${what})${said}`);
  if (code === 4001) {
    return new HamsaAuthenticationError({ status: 401, message: message('authentication failed') });
  }
  if (code === 4003) {
    return new HamsaQuotaExceededError({ status: 402, message: message('insufficient funds') });
  }
  if (code === 4500) {
    return new HamsaServerError({ status: 500, message: message('internal error') });
  }
  return new HamsaConnectionError(message('connection lost'), { code: String(code) });
}
