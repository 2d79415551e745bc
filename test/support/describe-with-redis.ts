import { describe } from '@jest/globals';
import { REDIS_INSTALL_HINT, redisServerPresent } from './redis-server.js';

/**
 * `describe` when `redis-server` is installed; else `describe.skip`, its name saying how to
 * install it.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerPresent) describe(name, body);
  else describe.skip(`${name} (absent: ${REDIS_INSTALL_HINT})`, body);
}
