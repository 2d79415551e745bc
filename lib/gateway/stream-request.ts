import {
  type Agent as HttpAgent,
  type IncomingMessage,
  request as httpRequest,
  type RequestOptions,
} from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type CallScope } from './call-scope.js';

/** Where a streamed request goes: a URL taken apart once, not on every request. */
export type StreamTarget = Pick<RequestOptions, 'protocol' | 'hostname' | 'port' | 'path'>;

/** The parts of `url` that `http.request` needs. */
export function streamTarget(url: URL): StreamTarget {
  return {
    protocol: url.protocol,
    // `[::1]` in a URL, `::1` for a socket.
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
  };
}

/** One POST whose answer is read as a stream. */
export interface StreamRequest {
  target: StreamTarget;
  agent: HttpAgent | HttpsAgent;
  /** Every header of the request, `Content-Length` included. */
  headers: Record<string, string>;
  body: string;
  /** Its abort destroys the request while it waits for its answer. */
  scope?: CallScope;
  onSocket?: () => void;
  /** Called once the request is over and its socket released (or never sent): its `'close'`. */
  onClose?: () => void;
}

/**
 * Sends a POST with `node:http` and resolves with the answer once its headers arrived, its body
 * unread (any status). Real-time audio is the hot path: this skips axios and rxjs, which cost
 * more CPU per call than the request itself. Rejects with the socket's error, or the scope's
 * reason once aborted (the request is destroyed); after the answer, aborting is the reader's to do.
 * `onClose` is called exactly once, however it ends.
 */
export function postForStream(request: StreamRequest): Promise<IncomingMessage> {
  const { target, agent, headers, body, scope, onSocket, onClose } = request;
  if (scope?.aborted) {
    onClose?.();
    return Promise.reject(scope.reason);
  }
  return new Promise<IncomingMessage>((resolve, reject) => {
    const { protocol, hostname, port, path } = target;
    const send = protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send({ protocol, hostname, port, path, method: 'POST', agent, headers });
    // `on`, not `once` (no wrapper per listener): each of these comes once per request, and a
    // second 'error' would find its listener still there.
    if (onClose) outgoing.on('close', onClose);
    const unlink = scope?.onAbort(() => {
      outgoing.destroy();
      reject(scope.reason);
    });
    if (onSocket) outgoing.on('socket', onSocket);
    outgoing.on('response', (response) => {
      unlink?.();
      resolve(response);
    });
    outgoing.on('error', (error) => {
      unlink?.();
      reject(error);
    });
    outgoing.end(body);
  });
}
