import {
  type ClientRequest,
  type IncomingMessage,
  request as httpRequest,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import axios, { type AxiosRequestConfig, type AxiosResponse, isAxiosError } from 'axios';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from '../hamsa-voice.constants.js';
import { HamsaApiError, type HamsaAuthenticationError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { VoiceNotReadyError } from '../errors/voice-readiness.error.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { type HamsaHttpLane, LaneAgents } from './lane-agents.js';
import { postForStream, type StreamTarget, streamTarget } from './stream-request.js';
import { type CallScope, sharedAbortController } from './call-scope.js';

/** Larger answers are cut off: Hamsa's JSON envelopes are tiny. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** How one request is sent. */
export interface HamsaRequestOptions {
  /** Only labels a transport error. */
  voiceId?: string;
  /** Aborts the request while it waits for its answer; rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Called when the request gets its socket, e.g. to start an attempt's timer then: a request
   * queued behind busy sockets has not yet been sent, so Hamsa is not silent.
   */
  onSocket?: () => void;
}

/**
 * The module's own HTTP connection to Hamsa: Nest's `HttpService` (from `HttpModule`), each
 * request configured with `baseUrl` and the API key, over two pools of keep-alive agents
 * (`HamsaHttpLane`) that the module closes at shutdown.
 *
 * Every answer comes back as a response (the status is never thrown); only transport
 * failures reject, as `HamsaConnectionError`, and answers over 1 MB, as `HamsaApiError`.
 */
@Injectable()
export class HamsaHttpClient implements OnApplicationShutdown {
  readonly #lanes: Record<HamsaHttpLane, LaneAgents>;
  readonly #keyRejection = sharedAbortController();
  /** Each streamed endpoint's URL, taken apart once. */
  readonly #streamTargets = new Map<string, StreamTarget>();
  #isShutDown = false;

  constructor(
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
    private readonly http: HttpService,
  ) {
    this.#lanes = {
      preload: new LaneAgents(options.concurrency),
      tts: new LaneAgents(options.tts.maxSockets),
    };
  }

  /**
   * Aborted, with the `HamsaAuthenticationError`, once Hamsa rejected the key on a preload or
   * refresh: every preload follows it, so that no other request is sent with that key.
   */
  get keyRejected(): AbortSignal {
    return this.#keyRejection.signal;
  }

  /** Records that Hamsa rejected the key (the first rejection is kept). */
  rejectKey(error: HamsaAuthenticationError): void {
    if (!this.#keyRejection.signal.aborted) this.#keyRejection.abort(error);
  }

  /**
   * Sends a request over the module's connection (base URL, API key, the `preload` lane's
   * keep-alive agents) and resolves with Hamsa's answer, whatever its status, its body read as
   * text; `config` may override the defaults, not the key. The key goes in this request's own
   * config only: never in the shared axios instance's defaults.
   */
  send<T>(
    config: AxiosRequestConfig,
    options: HamsaRequestOptions = {},
  ): Promise<AxiosResponse<T>> {
    const { voiceId, signal, onSocket } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    // HttpService cancels its request at every teardown, a finished one too, and each cancel
    // builds an error with a stack trace: a cost on every call. Given a token of its own it
    // leaves that to us, and only a request still waiting for its answer is cancelled.
    const cancel = axios.CancelToken.source();
    const { http: httpAgent, https: httpsAgent } = this.#lanes.preload;
    const sent = {
      baseURL: this.options.baseUrl,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      ...config,
      headers: { ...config.headers, ...this.options.apiKey.authorizationHeader() },
      httpAgent,
      httpsAgent,
      cancelToken: cancel.token,
      ...(onSocket && { transport: { request: watchSocket(onSocket) } }),
    };
    return new Promise<AxiosResponse<T>>((resolve, reject) => {
      const settle = () => signal?.removeEventListener('abort', onAbort);
      const subscription = this.http
        // @nestjs/axios 4 (CommonJS) sees axios' .d.cts types, this ESM file its .d.ts: same object.
        .request<T>(sent as Parameters<HttpService['request']>[0])
        .subscribe({
          next: (response) => {
            settle();
            resolve(response);
          },
          error: (error: unknown) => {
            settle();
            reject(this.transportError(error, voiceId));
          },
        });
      const onAbort = () => {
        subscription.unsubscribe();
        cancel.cancel();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * POSTs a JSON body over the `tts` lane and resolves with Hamsa's answer once its headers
   * arrived, the body unread (any status). At most `tts.maxSockets` requests hold a connection
   * at once (until their body is read or destroyed); the others wait in line until their scope
   * aborts, and are never sent once shutdown began (`VoiceNotReadyError` reason `shutdown`).
   * Transport failures reject as `HamsaConnectionError`.
   */
  async openStream(
    path: string,
    body: object,
    options: Omit<HamsaRequestOptions, 'signal'> & { accept: string; scope?: CallScope },
  ): Promise<IncomingMessage> {
    const { voiceId, scope, onSocket, accept } = options;
    const target = this.streamTarget(path);
    const agents = this.#lanes.tts;
    // A free connection is taken at once; only a wait in line needs the scope's AbortSignal.
    const release =
      (!scope?.aborted && agents.line.tryAcquire()) ||
      (await agents.line.acquire(
        scope?.signal,
        () => new VoiceNotReadyError(voiceId ?? 'unknown', undefined, 'shutdown'),
      ));
    const json = JSON.stringify(body);
    try {
      return await postForStream({
        target,
        agent: target.protocol === 'https:' ? agents.https : agents.http,
        headers: {
          Authorization: this.options.apiKey.authorizationHeader().Authorization,
          'Content-Type': 'application/json',
          Accept: accept,
          'Content-Length': String(Buffer.byteLength(json)),
        },
        body: json,
        scope,
        onSocket,
        onClose: release,
      });
    } catch (error) {
      release();
      throw scope?.aborted ? scope.reason : this.transportError(error, voiceId);
    }
  }

  private streamTarget(path: string): StreamTarget {
    let target = this.#streamTargets.get(path);
    if (target === undefined) {
      // Concatenated, as axios does with `baseURL`: a base URL's own path is kept.
      target = streamTarget(new URL(`${this.options.baseUrl}${path}`));
      this.#streamTargets.set(path, target);
    }
    return target;
  }

  /**
   * Removes the API key, raw or URL-encoded, from text that came from outside (a server may echo
   * a request): see `HamsaApiKey.redact`.
   */
  get redact(): (text: string) => string {
    return this.options.apiKey.redact;
  }

  /**
   * Whether the application has shut the connection down (`onApplicationShutdown`, after the
   * HTTP server drained): a request cut off from then on failed because of the shutdown.
   */
  get isShutDown(): boolean {
    return this.#isShutDown;
  }

  /**
   * Shutdown began: the streamed requests still waiting for a `tts` connection are refused, and
   * so is every later one (`VoiceNotReadyError` reason `shutdown`), so that none is sent after
   * the caller may have left; requests holding a connection go on. Calling it again is harmless.
   */
  beginShutdown(): void {
    this.#lanes.tts.line.close();
  }

  onApplicationShutdown(): void {
    this.#isShutDown = true;
    this.beginShutdown();
    this.closeSockets();
  }

  /** Closes the keep-alive sockets of both lanes; a later request opens new ones. */
  closeSockets(): void {
    this.#lanes.preload.destroy();
    this.#lanes.tts.destroy();
  }

  private transportError(error: unknown, voiceId?: string): HamsaError {
    const { code } = (isAxiosError(error) ? error : (error as { code?: string })) ?? {};
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

/** An axios `transport` that calls `onSocket` when the request gets its socket. */
function watchSocket(onSocket: () => void) {
  return (
    options: RequestOptions,
    onResponse: (response: IncomingMessage) => void,
  ): ClientRequest => {
    const send = options.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = (send as (o: RequestOptions, cb: typeof onResponse) => ClientRequest)(
      options,
      onResponse,
    );
    request.once('socket', onSocket);
    return request;
  };
}
