import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import axios, { type AxiosRequestConfig, type AxiosResponse, isAxiosError } from 'axios';
import { catchError, defer, finalize, type Observable, tap, throwError } from 'rxjs';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from '../hamsa-voice.constants.js';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { type ResolvedHamsaVoiceOptions } from '../options/hamsa-voice-options.interface.js';

/** Larger answers are cut off: Hamsa's JSON envelopes are tiny. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Which keep-alive pool a request uses: `preload` (at most `concurrency` sockets) or `tts`
 * (real-time REST/stream calls, at most `tts.maxSockets`), so that neither waits for the other.
 */
export type HamsaHttpLane = 'preload' | 'tts';

/** The keep-alive agents of one lane, for http: and https: base URLs. */
class LaneAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;

  constructor(maxSockets: number) {
    this.http = new HttpAgent({ keepAlive: true, maxSockets });
    this.https = new HttpsAgent({ keepAlive: true, maxSockets });
  }

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/**
 * The module's own HTTP connection to Hamsa: an `HttpService` bound to `baseUrl` with the
 * API key, over two pools of keep-alive agents (`HamsaHttpLane`) that the module closes at
 * shutdown.
 *
 * Every answer comes back as a response (the status is never thrown); only transport
 * failures error, as `HamsaConnectionError`, and answers over 1 MB, as `HamsaApiError`.
 * Unsubscribing aborts the request.
 */
@Injectable()
export class HamsaHttpClient implements OnApplicationShutdown {
  // #private fields: util.inspect never shows them, and the axios defaults hold the API key.
  readonly #lanes: Record<HamsaHttpLane, LaneAgents>;
  readonly #http: HttpService;

  constructor(
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
  ) {
    this.#lanes = {
      preload: new LaneAgents(options.concurrency),
      tts: new LaneAgents(options.tts.maxSockets),
    };
    this.#http = new HttpService(
      // @nestjs/axios 4 (CommonJS) sees axios' .d.cts types, this ESM file its .d.ts: same object.
      axios.create({
        baseURL: options.baseUrl,
        headers: { Authorization: `Token ${options.apiKey}` },
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        validateStatus: () => true,
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
      }) as ConstructorParameters<typeof HttpService>[0],
    );
  }

  /** POSTs a JSON body over the `preload` lane; `voiceId` only labels a transport error. */
  postJson(path: string, body: object, voiceId?: string): Observable<AxiosResponse<string>> {
    return this.request<string>({ method: 'POST', url: path, data: body }, voiceId);
  }

  /**
   * Sends any request over the module's connection (base URL, API key, the `lane`'s keep-alive
   * agents); `config` may override the defaults, e.g. `responseType: 'stream'` with a `signal`.
   * `voiceId` only labels a transport error.
   */
  request<T>(
    config: AxiosRequestConfig,
    voiceId?: string,
    lane: HamsaHttpLane = 'preload',
  ): Observable<AxiosResponse<T>> {
    return defer(() => {
      // HttpService cancels its request at every teardown, a finished one too, and each cancel
      // builds an error with a stack trace: a cost on every preload. Given a token of its own it
      // leaves that to us, and only a request still waiting for its answer is cancelled (a stream,
      // as HttpService does, is left to its `signal`).
      const cancel = axios.CancelToken.source();
      const { http: httpAgent, https: httpsAgent } = this.#lanes[lane];
      const withToken = { ...config, httpAgent, httpsAgent, cancelToken: cancel.token };
      let isAnswered = false;
      return this.#http.request<T>(withToken as Parameters<HttpService['request']>[0]).pipe(
        tap({ next: () => (isAnswered = true) }),
        catchError((error: unknown) => {
          isAnswered = true;
          return throwError(() => this.transportError(error, voiceId));
        }),
        finalize(() => {
          if (!isAnswered && config.responseType !== 'stream') cancel.cancel();
        }),
      );
    });
  }

  /** Removes the API key from text that came from outside (a server may echo a request). */
  redact = (text: string): string => text.split(this.options.apiKey).join('[redacted]');

  onApplicationShutdown(): void {
    this.closeSockets();
  }

  /** Closes the keep-alive sockets; a later request opens new ones. */
  closeSockets(): void {
    this.#lanes.preload.destroy();
    this.#lanes.tts.destroy();
  }

  private transportError(error: unknown, voiceId?: string): HamsaError {
    const code = isAxiosError(error) ? error.code : undefined;
    const reason = error instanceof Error ? error.message : String(error);
    const target = voiceId ? ` (voice ${voiceId})` : '';
    if (code === 'ERR_BAD_RESPONSE' && reason.includes('maxContentLength')) {
      // Hamsa did answer, with far more than its envelopes (< 1 KB): a proxy page or a wrong
      // baseUrl. Not retried: asking again fetches the same megabytes and the same answer.
      const request = (error as { request?: { res?: { statusCode?: number } } }).request;
      const status = request?.res?.statusCode ?? 0;
      const message = `Hamsa answered ${status}${target} with a body over ${MAX_RESPONSE_BYTES} bytes`;
      return new HamsaApiError({ status, voiceId, message: `${message}; it was not read` });
    }
    return new HamsaConnectionError(
      this.redact(`Could not reach Hamsa at ${this.options.baseUrl}${target}: ${reason}`),
      { voiceId, code },
    );
  }
}
