import { type Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One POST whose answer is read as a stream. */
export interface StreamRequest {
  url: URL;
  agent: HttpAgent | HttpsAgent;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
  onSocket?: () => void;
  /** Called once the request is over and its socket released (or never sent): its `'close'`. */
  onClose?: () => void;
}

/**
 * Sends a POST with `node:http` and resolves with the answer once its headers arrived, its body
 * unread (any status). Real-time audio is the hot path: this skips axios and rxjs, which cost
 * more CPU per call than the request itself. Rejects with the socket's error, or the signal's
 * reason once aborted (the request is destroyed); after the answer, aborting is the reader's to do.
 * `onClose` is called exactly once, however it ends.
 */
export function postForStream(request: StreamRequest): Promise<IncomingMessage> {
  const { url, agent, headers, body, signal, onSocket, onClose } = request;
  if (signal?.aborted) {
    onClose?.();
    return Promise.reject(signal.reason);
  }
  return new Promise<IncomingMessage>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
    });
    if (onClose) outgoing.once('close', onClose);
    const onAbort = () => {
      outgoing.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (onSocket) outgoing.once('socket', onSocket);
    outgoing.once('response', (response) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    });
    outgoing.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    outgoing.end(body);
  });
}
