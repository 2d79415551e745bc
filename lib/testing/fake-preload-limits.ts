import { type ServerResponse } from 'node:http';
import { type FakeHamsaServerOptions } from './fake-hamsa-server.interfaces.js';
import { FakeInFlightLimit } from './fake-in-flight-limit.js';
import { FakeRateLimit } from './fake-rate-limit.js';

/** The fake server's account-wide limits on preload requests: per second and in flight. */
export class FakePreloadLimits {
  private readonly rate?: FakeRateLimit;
  private readonly inFlight?: FakeInFlightLimit;

  constructor({ rateLimitPerSecond, maxInFlight }: FakeHamsaServerOptions) {
    if (rateLimitPerSecond !== undefined) this.rate = new FakeRateLimit(rateLimitPerSecond);
    if (maxInFlight !== undefined) this.inFlight = new FakeInFlightLimit(maxInFlight);
  }

  /**
   * How long a preload request over a limit should wait before trying again, or `undefined` when
   * it may pass (it then counts in flight until `res` is done).
   */
  turnAwayMs(res: ServerResponse): number | undefined {
    const done = this.inFlight?.admit();
    if (this.inFlight && !done) return 1000;
    const waitMs = this.rate?.waitMs();
    if (waitMs !== undefined) done?.();
    else if (done) res.once('finish', done).once('close', done);
    return waitMs;
  }
}
