import { afterAll, afterEach, beforeAll, describe } from '@jest/globals';
import { RedisFleet } from './fleet/redis-fleet.js';
import { type RedisHamsaCoordinatorOptions } from '../../lib/redis/index.js';
import { REDIS_INSTALL_HINT, RedisServer, redisServerPresent } from './redis-server.js';

/**
 * `describe` when `redis-server` is installed; else `describe.skip`, its name saying how to
 * install it.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerPresent) describe(name, body);
  else describe.skip(`${name} (absent: ${REDIS_INSTALL_HINT})`, body);
}

/** A test file's redis-server, and the fleets of replicas its tests build on it. */
export interface RedisFixture {
  /** Started before the file's tests, stopped after them. */
  readonly server: RedisServer;
  /** Replicas coordinating on the server (or at `url`), their clients quit after the test. */
  fleet(options?: RedisHamsaCoordinatorOptions, url?: string): RedisFleet;
}

/** Call inside a `describeWithRedis`: registers the hooks that start and stop what it gives. */
export function useRedis(): RedisFixture {
  let server: RedisServer | undefined;
  const fleets: RedisFleet[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((fleet) => fleet.close()));
  });
  afterAll(() => server?.close());

  const fixture: RedisFixture = {
    get server() {
      if (!server) throw new Error('the redis-server is not running');
      return server;
    },
    fleet(options = {}, url = fixture.server.url) {
      const fleet = new RedisFleet(url, options);
      fleets.push(fleet);
      return fleet;
    },
  };
  return fixture;
}
