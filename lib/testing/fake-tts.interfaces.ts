/**
 * Settings of the real-time TTS endpoints of a `FakeHamsaServer`.
 * Pass them to `FakeHamsaServer.start()` with the other options.
 */
export interface FakeTtsServerOptions {
  /**
   * Extra delay in ms of the first TTS call with a cloned voice (UUID) that was never preloaded
   * on this server, imitating the model load that preloading avoids; default 1500.
   */
  coldStartMs?: number;
  /**
   * Whether `/v1/realtime/tts-stream` starts with a RIFF header whose sizes are 0xFFFFFFFF (as
   * Hamsa's API reference shows); default `false`: bare PCM, as integrations report.
   */
  ttsStreamHeader?: boolean;
  /** Sizes in bytes of successive stream chunks and WebSocket frames, cycled; default odd sizes. */
  ttsChunkSizes?: number[];
  /** Pause in ms between stream chunks and frames, so they arrive apart; default 0. */
  ttsChunkIntervalMs?: number;
  /** Delay in ms before every TTS answer starts (after any cold start or step delay); default 0. */
  ttsLatencyMs?: number;
  /**
   * Paces the audio of every TTS answer: each chunk or frame is sent when the bytes before it
   * would have been produced at this rate (32,000 bytes/s is real time for 16 kHz 16-bit PCM;
   * 96,000 is 3× faster). Default: as fast as possible (or `ttsChunkIntervalMs` apart).
   */
  ttsBytesPerSecond?: number;
  /**
   * Delay in ms between accepting a new WebSocket and sending its `info` hello, imitating the
   * cost of a new connection to Hamsa (reported: ~1.2 s more to first audio than on a reused
   * one); a client is usable only after the hello. Default 0.
   */
  newConnectionDelayMs?: number;
  /** @deprecated The former name of `newConnectionDelayMs`, still read when that one is omitted. */
  wsHelloDelayMs?: number;
  /**
   * Fraction (0–1) of TTS answers given as `{ empty: true }` (a header only), as the real service
   * does with a share of its replies; default 0. Deterministic: the n-th answer not scripted by
   * `scriptTts()` since start or `reset()` (all transports and speakers counted together) is
   * empty when ⌈n·rate⌉ > ⌈(n−1)·rate⌉, so `0.5` empties the 1st, 3rd, 5th… answer.
   */
  emptyAnswerRate?: number;
}

/**
 * One scripted outcome for the next TTS call (REST, stream or WebSocket) naming one speaker.
 * Queue them with `FakeHamsaServer.scriptTts()` to imitate failures.
 */
export type FakeTtsStep =
  | {
      /** REST: answer with this status (JSON body unless `body` is a string); ignored on WebSocket. */
      status: number;
      body?: unknown;
      /** Extra response headers, e.g. `Retry-After`. */
      headers?: Record<string, string>;
    }
  | {
      /** Accept the call and never answer (until the client leaves or the server closes). */
      hang: true;
    }
  | {
      /** Send this many bytes of audio (after the status line on REST), then cut the connection. */
      cutAfterBytes: number;
    }
  | {
      /**
       * Send this many bytes of audio (after `ack` on WebSocket, after the status line on REST),
       * then go silent: no more audio, no `end`, the connection left open. `0`: `ack` and nothing.
       */
      stallAfterBytes: number;
    }
  | {
      /** WebSocket: close the connection with this code (e.g. 4001, 4003, 4500) instead of answering. */
      closeCode: number;
      reason?: string;
    }
  | {
      /** WebSocket: answer `{"type":"error","payload":{"message": error}}`. */
      error: string;
    }
  | {
      /**
       * WebSocket: from this message on, ignore everything the client sends on the connection
       * and leave it open, as a half-open socket looks to the client: no `ack`, no audio, no
       * `end`, no pong to a ping, no answer to a close frame (only cutting the connection ends
       * it). Ignored on REST and stream (answered normally).
       */
      silent: true;
    }
  | {
      /** Answer normally, after this many ms. */
      delayMs: number;
    }
  | {
      /**
       * Answer without speech, as the real service does with a share of its replies: REST a WAV
       * file of a 44-byte header (plus `audioBytes` of audio), stream its RIFF header if it
       * sends one (plus `audioBytes`) then the end, WebSocket `ack` (`audioBytes` of audio
       * frames) then `end`.
       */
      empty: true;
      /** Bytes of audio after the header, e.g. 596 for Hamsa's 640-byte replies; default 0. */
      audioBytes?: number;
    };

/** One TTS call as the fake server received it. Read them from `FakeHamsaServer.ttsCalls`. */
export interface FakeTtsCall {
  transport: 'rest' | 'stream' | 'ws';
  speaker: string;
  text: string;
  /** The JSON body (REST) or the message's `payload` (WebSocket). */
  payload: Record<string, unknown>;
  /** When the call was received (`Date.now()`). */
  receivedAt: number;
  /** The cold-voice delay this call paid, in ms (0 for a built-in or preloaded voice). */
  coldStartMs: number;
  /**
   * When its answer ended (`Date.now()`): its last byte or `end` sent, an error answered, or the
   * client gone. Unset while it is in flight.
   */
  endedAt?: number;
}
