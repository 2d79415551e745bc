import { type HamsaCoordinator } from '../coordination/hamsa-coordinator.interface.js';

/**
 * Options of `HamsaVoiceModule.forRoot()`, or what a `forRootAsync()` factory returns.
 *
 * Only `apiKey` and `voiceIds` are required; every other option has a default suited to
 * preloading a handful of voices when a service starts.
 */
export interface HamsaVoiceModuleOptions {
  /** Hamsa API key, sent as `Authorization: Token <apiKey>`. Never logged nor serialised. */
  apiKey: string;
  /**
   * Cloned-voice UUIDs to preload at startup: an array, or one string of IDs separated by commas
   * and/or whitespace, as an environment variable holds them (`''`: no voice). Each ID is trimmed
   * and empty ones are dropped, in either form; an ID with whitespace inside is rejected. UUIDs
   * are case-insensitive: `ABC…` and `abc…` are one voice, preloaded once and reported in lower
   * case. May be empty; duplicates collapse to one.
   *
   * @example
   * voiceIds: config.get('HAMSA_VOICE_IDS', '') // "48f7656f-…, 9a0c…" or one ID a line
   */
  voiceIds: string[] | string;
  /**
   * Hamsa API origin, with an optional path prefix: no credentials (`user:pass@`), no query,
   * no fragment (the key travels in headers). Default `'https://api.tryhamsa.com'`.
   */
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
  /** Real-time TTS connections: sockets for REST/stream calls, WebSocket sessions kept warm. */
  tts?: HamsaTtsModuleOptions;
  /**
   * What a TTS call does with a speaker UUID that is not configured. `true` (default): preload it
   * on demand, tracking at most 1000 such voices, starting at most 60 such preloads a minute and
   * remembering a failure for 60 s; an object
   * tunes those bounds; `false`: reject `UnknownVoiceError` at once, sending nothing (choose it
   * when speakers come from user input).
   */
  onDemandPreload?: boolean | OnDemandPreloadOptions;
  /**
   * A configured voice that failed with a retryable error (5xx, 408, plain 429, timeout,
   * connection) is preloaded again in the background after this many ms, the wait doubling up to
   * 5 minutes, until it is ready or the application shuts down. Default `30_000`; `0`: off.
   */
  recoveryDelayMs?: number;
  /**
   * At shutdown, how long TTS calls still in flight may go on, in ms, counted from
   * `beforeApplicationShutdown`; then they are ended (`VoiceNotReadyError` reason `shutdown`) and
   * WebSocket sessions closed, so that the HTTP server can close even when a client stopped
   * reading or Hamsa trickles. Requests still waiting for a connection are refused at once.
   * Default `10_000`; `0` ends them at once. Keep it below Kubernetes'
   * `terminationGracePeriodSeconds`, minus any drain delay before the server closes.
   */
  shutdownGraceMs?: number;
  /**
   * Coordinates the replicas that share one Hamsa account: a shared rate limit for preload
   * requests, shared preloads, one keep-warm per fleet. Default: none, each replica acts alone.
   * See `RedisHamsaCoordinator` in `nestjs-hamsa/redis`.
   */
  coordinator?: HamsaCoordinator;
}

/** The `tts` option of `HamsaVoiceModuleOptions`. */
export interface HamsaTtsModuleOptions {
  /**
   * Keep-alive sockets for real-time REST/stream calls, apart from preload's (which stay
   * bounded by `concurrency`). Default `64`.
   */
  maxSockets?: number;
  /**
   * WebSocket sessions opened in the background after bootstrap and kept ready in the pool that
   * `speak()` runs on (at most `maxSessions`), so that `speak()` or `openSession()` finds one at
   * once; one handed out is replaced behind it. Default `0`.
   */
  warmSessions?: number;
  /**
   * Where the WebSocket upgrade carries the API key, in one place only: `'header'` (default)
   * sends `X-Api-Key` and keeps the key out of the URL (and so out of proxies' access logs);
   * `'query'` sends `?api_key=` and no header, for a proxy that strips custom headers.
   */
  webSocketAuth?: HamsaWebSocketAuth;
  /**
   * Longest time a REST/stream call's reader may hold a chunk without asking for the next, in ms:
   * then the call fails with `HamsaTimeoutError` and its socket is freed for other calls, so that
   * readers that stopped cannot hold every socket. Default `30_000`.
   */
  readerIdleTimeoutMs?: number;
  /**
   * Most WebSockets `HamsaTtsService.speak()` keeps open at once, each speaking one utterance at a
   * time; further calls wait for a free one. Sessions of `openSession()` do not count. Integer
   * 1–256, default `8`.
   */
  maxSessions?: number;
  /**
   * Least audio, in ms, an answer must carry: one with less (a WAV header alone, a stream that
   * ends after its header, a WebSocket `end` after no audio) is an empty answer, asked again
   * within `retries` on REST and streams and on another session by `speak()` (then
   * `HamsaEmptyAudioError`); a caller-owned session that gets one is closed. Streamed
   * calls hand out their first audio once this much arrived. Integer 0–1000; `0` turns it off.
   * Default `30`.
   */
  minAudioMs?: number;
  /**
   * Largest TTS answer, in bytes: a larger one fails with `HamsaMalformedAudioError` without
   * reading more (`synthesize()` buffers its answer, streams count theirs). Default `33_554_432`
   * (32 MB).
   */
  maxAudioBytes?: number;
}

/** Where the WebSocket upgrade carries the API key (`tts.webSocketAuth`). */
export type HamsaWebSocketAuth = 'header' | 'query';

/** The object form of `onDemandPreload`. */
export interface OnDemandPreloadOptions {
  /**
   * On-demand voices tracked at most; the least recently used is forgotten first (configured
   * voices never are). Default `1000`.
   */
  maxVoices?: number;
  /**
   * How long a failed on-demand voice is remembered, in ms: a TTS call for it within that time
   * rejects without asking Hamsa again. Default `60_000`.
   */
  failedVoiceTtlMs?: number;
  /**
   * On-demand preloads started at most per minute (a budget that refills evenly): beyond it a TTS
   * call with an unknown speaker UUID rejects `VoiceNotReadyError` reason `capacity` without a
   * request, so made-up speakers cannot spend the account's quota. Default `60`.
   */
  maxPreloadsPerMinute?: number;
}
