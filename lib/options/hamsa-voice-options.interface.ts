/**
 * Options of `HamsaVoiceModule.forRoot()`, or what a `forRootAsync()` factory returns.
 *
 * Only `apiKey` and `voiceIds` are required; every other option has a default suited to
 * preloading a handful of voices when a service starts.
 */
export interface HamsaVoiceModuleOptions {
  /** Hamsa API key, sent as `Authorization: Token <apiKey>`. Never logged nor serialised. */
  apiKey: string;
  /** Cloned-voice UUIDs to preload at startup. May be empty; duplicates collapse to one. */
  voiceIds: string[];
  /** Hamsa API origin. Default `'https://api.tryhamsa.com'`. */
  baseUrl?: string;
  /** Preload requests in flight at most. Default `4`. */
  concurrency?: number;
  /** Time limit of one HTTP attempt, in ms. Default `10_000`. */
  requestTimeoutMs?: number;
  /** Retries after the first attempt, for retryable failures only. Default `3`. */
  retries?: number;
  /** Base of the exponential backoff between retries, in ms (jittered). Default `500`. */
  retryDelayMs?: number;
  /** Upper bound of one backoff wait, in ms. Default `8_000`. */
  maxRetryDelayMs?: number;
  /**
   * Budget for one voice, in ms, counted from its first attempt: all attempts and waits
   * included. Default `45_000`.
   */
  deadlineMs?: number;
  /**
   * Upper bound of a random wait before each configured voice's first request, in ms. Spreads
   * the startup burst of many replicas started together over time (see the README's
   * "Reliability" section for how to size it); `0` (default) sends at once. The voice's
   * `deadlineMs` starts after the wait.
   */
  startupJitterMs?: number;
  /**
   * When `true` (default), application bootstrap resolves only after every voice has settled
   * (ready or failed). When `false`, the application starts at once and voices preload in the
   * background.
   */
  waitForReady?: boolean;
  /**
   * When `true` (default) and `waitForReady` is `true`, any failed voice makes bootstrap reject
   * with a `HamsaPreloadError`. When `false`, failures are only logged and reported in status.
   */
  failOnError?: boolean;
  /**
   * Keep-warm: re-preload every ready voice about this often, in ms (each voice waits a random
   * 80–100 % of it). A voice stays ready while it refreshes; a failed refresh is logged and tried
   * again at the next interval, except 404 (the voice is gone) and 401/403 (the key was revoked),
   * which make voices `failed`. Default `0`: off.
   */
  refreshIntervalMs?: number;
}

/** Options after validation, with every default filled in and voice IDs de-duplicated. */
export type ResolvedHamsaVoiceOptions = Required<HamsaVoiceModuleOptions>;
