import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';

/** A text frame "hi" sent without the mask a client must put on every frame (RFC 6455 §5.1). */
export const UNMASKED_FRAME = Buffer.from([0x81, 0x02, 0x68, 0x69]);

/**
 * Opens a raw TCP connection, upgrades it to the fake's WebSocket with `apiKey` and, once the
 * server has answered 101, sends `UNMASKED_FRAME`. Resolves with the status line it got and
 * whether the server then closed the connection (within 2 s).
 */
export async function sendUnmaskedFrame(
  baseUrl: string,
  apiKey: string,
): Promise<{ statusLine: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(
    [
      `GET ${HAMSA_ENDPOINTS.realtimeWs} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      `X-Api-Key: ${apiKey}`,
      '',
      '',
    ].join('\r\n'),
  );
  const [head] = (await once(socket, 'data')) as [Buffer];
  const closed = once(socket, 'close').then(() => true);
  socket.write(UNMASKED_FRAME);
  const timedOut = new Promise<boolean>((resolve) => setTimeout(resolve, 2_000, false).unref());
  const closedByServer = await Promise.race([closed, timedOut]);
  socket.destroy();
  return { statusLine: head.toString('latin1').split('\r\n')[0], closedByServer };
}

/** What a client that posts a large body saw. */
export interface LargePostOutcome {
  /** Status of the answer, if one came before the connection broke. */
  status?: number;
  /** Body bytes the client could hand to its socket before the server closed it. */
  bytesSent: number;
}

/**
 * POSTs `totalBytes` of body (or an endless chunked body when `totalBytes` is `Infinity`) to
 * `path`, as fast as the server takes it, with `Content-Length` unless `chunked`. Settles once
 * the connection has closed, with the status it got and how much of the body went out.
 */
export function postLargeBody(
  baseUrl: string,
  path: string,
  init: { authorization: string; totalBytes: number; chunked?: boolean },
): Promise<LargePostOutcome> {
  const { totalBytes, authorization } = init;
  const headers: Record<string, string | number> = { authorization };
  if (!init.chunked) headers['content-length'] = totalBytes;
  return new Promise((resolve) => {
    const outcome: LargePostOutcome = { bytesSent: 0 };
    const req = request(`${baseUrl}${path}`, { method: 'POST', headers });
    req.on('response', (res) => {
      outcome.status = res.statusCode;
      res.on('error', () => undefined).resume();
    });
    req.on('error', () => undefined);
    req.on('close', () => resolve(outcome));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = (): void => {
      while (!req.destroyed && outcome.bytesSent < totalBytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, totalBytes - outcome.bytesSent));
        outcome.bytesSent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}
