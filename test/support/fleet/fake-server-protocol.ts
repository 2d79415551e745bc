/** What the benches ask of a fake server running in a child process. */
export type FakeServerCommand = { type: 'stats' } | { type: 'close' };

/** What the child process answers. */
export type FakeServerMessage =
  { type: 'started'; url: string; apiKey: string } | ({ type: 'stats' } & FakeServerStats);

/** The fake server's counters over one window (between two `stats()` calls). */
export interface FakeServerStats {
  /** Requests received. */
  requests: number;
  /** Of those, requests to the preload endpoint. */
  preloads: number;
  /** Requests answered 429 by `maxInFlight` or `rateLimitPerSecond`. */
  turnedAway: number;
  peakInFlight: number;
  /** Most requests received within any one second (429s included). */
  peakReceivedPerSecond: number;
  /** Most requests let through within any one second. */
  peakAcceptedPerSecond: number;
  /** TCP connections accepted. */
  connections: number;
  /** CPU time (user + system) the server process spent. */
  cpuMs: number;
}
