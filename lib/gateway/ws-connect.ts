import { type IncomingMessage } from 'node:http';
import { type RawData, WebSocket } from 'ws';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { type HamsaWebSocketAuth } from '../options/hamsa-voice-options.interface.js';
import { errorFromResponse } from './error-from-response.js';
import { type HamsaApiKey } from './hamsa-api-key.js';
import { HAMSA_ENDPOINTS } from './hamsa-endpoints.js';
import { readErrorText } from './read-error-text.js';
import { errorFromCloseCode } from './ws-close.error.js';

/** What opening a WebSocket to Hamsa needs. */
export interface WsConnectOptions {
  baseUrl: string;
  apiKey: HamsaApiKey;
  /** Where the key travels: the `X-Api-Key` header or the `api_key` query parameter, not both. */
  auth: HamsaWebSocketAuth;
  /** Aborts the opening (the caller's time limit aborts it with a `HamsaTimeoutError`). */
  signal: AbortSignal;
}

/**
 * Opens the real-time WebSocket (key in the `X-Api-Key` header, or in the `api_key` query
 * parameter with `auth: 'query'`) and resolves once Hamsa sent its `info` message. A refused
 * upgrade, a close code or a network error rejects with a typed error that never holds the URL
 * and whose every field is redacted; an abort with the signal's reason.
 */
export function connectWebSocket(options: WsConnectOptions): Promise<WebSocket> {
  const { baseUrl, apiKey, auth, signal } = options;
  const { redact } = apiKey;
  const url = new URL(`${baseUrl.replace(/^http/, 'ws')}${HAMSA_ENDPOINTS.realtimeWs}`);
  if (auth === 'query') url.search = apiKey.queryParameter();

  return new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url, {
      headers: auth === 'header' ? apiKey.apiKeyHeader() : {},
      perMessageDeflate: false,
    });
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.off('message', onMessage).off('close', onClose).off('unexpected-response', onRefused);
      if (error === undefined) return resolve(socket);
      socket.terminate();
      reject(error);
    };
    const onAbort = () => finish(signal.reason);
    const onMessage = (data: RawData, isBinary: boolean) => {
      if (!isBinary && parseType(data) === 'info') finish();
    };
    const onClose = (code: number, reason: Buffer) =>
      finish(errorFromCloseCode(code, reason.toString('utf8'), redact));
    const onRefused = (_request: unknown, response: IncomingMessage) =>
      void refusalError(response, redact).then(finish);

    // Stays for the socket's whole life: an 'error' event without a listener would crash.
    socket.on('error', (error: Error & { code?: string }) =>
      finish(
        new HamsaConnectionError(
          redact(`Could not open Hamsa's WebSocket at ${baseUrl}: ${error.message}`),
          { code: error.code },
        ),
      ),
    );
    socket.on('message', onMessage).on('close', onClose).on('unexpected-response', onRefused);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Hamsa's WebSocket did not say hello within `timeoutMs` (the module's `requestTimeoutMs`). */
export function helloTimeout(timeoutMs: number): HamsaTimeoutError {
  const message = `Hamsa's WebSocket did not say hello within ${timeoutMs} ms (requestTimeoutMs)`;
  return new HamsaTimeoutError(message, { timeoutMs });
}

/** The `type` of a JSON message, or `undefined`. */
export function parseType(data: RawData): string | undefined {
  return parseMessage(data)?.type;
}

/** A JSON message `{ type, payload? }`, or `undefined` when it is not one. */
export function parseMessage(
  data: RawData,
): { type: string; payload?: { message?: unknown } } | undefined {
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString();
    const message: unknown = JSON.parse(text);
    const type = (message as { type?: unknown } | null)?.type;
    return typeof type === 'string'
      ? (message as { type: string; payload?: { message?: unknown } })
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The typed error of an HTTP answer that refused the upgrade (e.g. 401, 429, 503), read from
 * its status and the first 64 KB of its body (the response is destroyed then, however long).
 */
async function refusalError(
  response: IncomingMessage,
  redact: (text: string) => string,
): Promise<HamsaError> {
  const status = response.statusCode ?? 0;
  const answer = { status, headers: response.headers, data: await readErrorText(response) };
  return (
    errorFromResponse(answer, undefined, redact) ??
    new HamsaApiError({ status, message: `Hamsa answered ${status} instead of a WebSocket` })
  );
}
