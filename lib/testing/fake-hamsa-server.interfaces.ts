import { type FakeTtsServerOptions } from './fake-tts.interfaces.js';

/**
 * Settings of a `FakeHamsaServer`.
 * Pass them to `FakeHamsaServer.start()` to choose the accepted key, the existing voices and the latency.
 */
export interface FakeHamsaServerOptions extends FakeTtsServerOptions {
  /** API key the server accepts in `Authorization: Token <key>`; default `'test-api-key'`. */
  apiKey?: string;
  /**
   * Cloned voices that exist (compared case-insensitively). Default: every well-formed UUID exists.
   * When given, other UUIDs get 404.
   */
  voiceIds?: string[];
  /** Delay in ms before every unscripted answer of the preload endpoint; default 0. */
  latencyMs?: number;
  /**
   * Account-wide rate limit: preload requests accepted per sliding second, all voices together.
   * A request over it gets 429 with `Retry-After` in whole seconds (so: 1), after the key check
   * and before any scripted step or validation. Default: no limit.
   */
  rateLimitPerSecond?: number;
  /**
   * Preload requests answered at once, all voices together (a request counts from when its body
   * has been read until its answer is sent). One more gets 429 with `Retry-After: 1`, after the
   * key check and before any scripted step or validation; a request turned away by one limit is not counted by the other.
   * Default: no limit.
   */
  maxInFlight?: number;
  /**
   * Most requests (`requests`) and TTS calls (`ttsCalls`) kept, the oldest dropped first, so that
   * a long-running process embedding the server stays flat; it also bounds the voices remembered
   * as warm (preloaded or called once). A positive integer; default 10,000.
   */
  maxRecords?: number;
  /**
   * Largest request body read, in bytes: a larger one (by its `Content-Length`, or as it streams
   * in) is answered 413 and its connection closed, without buffering it. A positive integer;
   * default 1,048,576 (1 MB). Bodies are read only of requests with the right key, to a path
   * and method of Hamsa's: others are answered (401, 404, 405) without reading theirs. It is
   * also the largest WebSocket message read: a larger one closes the connection with 1009.
   */
  maxBodyBytes?: number;
  /** Port to listen on, on 127.0.0.1; default 0: a random free port. */
  port?: number;
}

/**
 * One scripted answer for one preload request to one voice.
 * Queue them with `FakeHamsaServer.script()` to imitate failures, retries and broken connections.
 */
export type FakePreloadStep =
  | {
      /** HTTP status to answer with. */
      status: number;
      /**
       * Response body: a string is sent as-is (`text/plain`), anything else as JSON. Omitted: the
       * success envelope for a 2xx, otherwise `{ success: false, message, messageKey }`.
       */
      body?: unknown;
      /** Extra response headers (e.g. `Retry-After`); they override the defaults. */
      headers?: Record<string, string>;
      /** Delay in ms before answering; default 0. */
      delayMs?: number;
    }
  | {
      /** Accept the request and never answer (until the client gives up or the server closes). */
      hang: true;
    }
  | {
      /** Destroy the socket without answering (the client sees ECONNRESET). */
      reset: true;
      /** Delay in ms before destroying the socket; default 0. */
      delayMs?: number;
    }
  | {
      /** Send status 200, the headers and part of a JSON body, then destroy the socket. */
      resetMidBody: true;
    }
  | {
      /** Answer 200 with a body that is not JSON. */
      malformed: true;
    }
  | {
      /** Send status 200 and the headers, then the JSON body one byte every `intervalMs`. */
      trickle: true;
      /** Delay between bytes, in ms; default 100 (the success envelope then takes ~8 s). */
      intervalMs?: number;
    }
  | {
      /** Answer 200 with a JSON body of `bytes` bytes (default 10 MB), to test a size cap. */
      oversized: true;
      bytes?: number;
    };

/**
 * One request as the fake server received it.
 * Read them from `FakeHamsaServer.requests` to assert what a client sent.
 */
export interface RecordedRequest {
  /** HTTP method, e.g. `'POST'`. */
  method: string;
  /** Request target as sent, query string included. */
  path: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * Raw request body text; empty for a request answered before its body was read (wrong key,
   * unknown path or method, body over `maxBodyBytes`).
   */
  body: string;
  /** `voiceId` of the JSON body, when the body is JSON with a string `voiceId`. */
  voiceId?: string;
  /** When the body had been read (`Date.now()`). */
  receivedAt: number;
  /** Whether `rateLimitPerSecond` or `maxInFlight` turned it away with 429. */
  rateLimited: boolean;
}
