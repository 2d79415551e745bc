/**
 * `connected`: the coordinator's store answers and replicas coordinate through it. `degraded`: it
 * does not, and this replica acts alone (its own requests, its own pacing) until it answers again.
 */
export type HamsaCoordinatorState = 'connected' | 'degraded';

/**
 * What `claimPreload()` grants: `'preloaded'` when another replica preloaded the voice recently
 * enough that this one needs no request, else the right to send this attempt, whose outcome
 * `settle()` reports (a success is shared with the other replicas; a failure only frees the voice).
 */
export type PreloadClaim = 'preloaded' | PreloadLease;

/** The right, held by one replica at a time, to preload one voice. */
export interface PreloadLease {
  /** Reports the attempt's outcome and gives the right up. Never rejects. */
  settle(succeeded: boolean): Promise<void>;
}

/**
 * Coordinates the replicas of one application that share a Hamsa account: one rate limit for
 * every request to the preload endpoint, preloads shared between replicas, one keep-warm refresh
 * per voice for the whole fleet. Pass one as the module's `coordinator` option;
 * `RedisHamsaCoordinator` (`nestjs-hamsa/redis`) is the one this package ships.
 *
 * A coordinator must never fail the module: when its store is unreachable every method settles
 * quickly as if the replica were alone (a token at once, a lease, a refresh to do), and `state`
 * says `degraded`. The module calls these methods only for preload and refresh requests; TTS calls
 * never wait on the coordinator.
 */
export interface HamsaCoordinator {
  /** Whether replicas coordinate now, for the health indicator's details. */
  readonly state: HamsaCoordinatorState;

  /**
   * Optional: the preload requests per second this replica allows itself while `degraded` (its
   * share of the account's limit), for the health indicator's details.
   */
  readonly fallbackRatePerSecond?: number;

  /**
   * Resolves when this replica may send one request to Hamsa's preload endpoint, e.g. once it took
   * a token of a rate limit shared by every replica. Rejects only with `signal`'s reason.
   */
  takeToken(voiceId: string, signal: AbortSignal): Promise<void>;

  /**
   * Asked before each preload attempt of a voice. Resolves `'preloaded'` when another replica
   * preloaded it recently enough, else with a lease once this replica holds the voice (waiting, if
   * another replica holds it, for that one's outcome or for its lease to lapse, which takes no
   * longer than one attempt: `attemptTimeoutMs` plus a margin). Rejects only with `signal`'s
   * reason.
   */
  claimPreload(
    voiceId: string,
    attemptTimeoutMs: number,
    signal: AbortSignal,
  ): Promise<PreloadClaim>;

  /**
   * Optional: told when Hamsa answered one of this replica's preload requests 429, with its
   * `Retry-After` in ms when it had one, e.g. to pause every replica's requests meanwhile. Called
   * after the `takeToken()` of that request; not awaited. Must not throw.
   */
  reportRateLimited?(voiceId: string, retryAfterMs: number | undefined): void;

  /**
   * Asked when a keep-warm refresh of a voice is due: `true` when this replica should send it,
   * `false` when another replica refreshed the voice in this interval. Never rejects.
   */
  claimRefresh(voiceId: string, refreshIntervalMs: number): Promise<boolean>;

  /**
   * Called at application shutdown (and after a failed bootstrap, so possibly twice): frees what
   * the coordinator opened. Never rejects.
   */
  close(): Promise<void>;
}
