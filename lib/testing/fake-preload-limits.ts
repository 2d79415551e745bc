import { type ServerResponse } from 'node:http';
import { type FakeHamsaServerOptions } from './fake-hamsa-server.interfaces.js';
import { FakeInFlightLimit } from './fake-in-flight-limit.js';
import { FakeRateLimit } from './fake-rate-limit.js';

/** `Retry-After` of a request turned away by `maxInFlight`: 1 s, as the rate limit says it. */
const IN_FLIGHT_RETRY_AFTER_MS = 1000;

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
  turnAwayMs(res: ServerResponse, now: number): number | undefined {
    if (!this.inFlight) return this.rate?.waitMs(now);
    const release = this.inFlight.admit();
    if (!release) return IN_FLIGHT_RETRY_AFTER_MS;
    const waitMs = this.rate?.waitMs(now);
    if (waitMs !== undefined) release();
    else res.once('finish', release).once('close', release);
    return waitMs;
  }
}
