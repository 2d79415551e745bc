import { spawnSync } from 'node:child_process';
import { describe } from '@jest/globals';

/** Whether Debian's `redis-server` (Redis 7) is installed here. */
export const redisServerPresent = spawnSync('redis-server', ['--version']).status === 0;

/**
 * `describe` when `redis-server` is installed; else `describe.skip`, its name saying how to
 * install it.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerPresent) describe(name, body);
  else describe.skip(`${name} (absent: apt-get install -y redis-server)`, body);
}
