import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Socket } from 'node:net';
import { defaultBody } from './fake-preload-bodies.js';
import { hasBody } from './fake-request-body.js';

/**
 * Answers with `status` and `body` as Hamsa does: a string as `text/plain`, anything else as JSON
 * (by default the envelope Hamsa sends with that status); `headers` override the defaults.
 */
export function sendFakeResponse(
  res: ServerResponse,
  status: number,
  body: unknown = defaultBody(status),
  headers: Record<string, string> = {},
): void {
  const isText = typeof body === 'string';
  res.statusCode = status;
  res.setHeader('content-type', isText ? 'text/plain; charset=utf-8' : 'application/json');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(isText ? body : JSON.stringify(body));
}

/** How long a refused request's connection stays half-closed, so its client can read the answer. */
const LINGER_MS = 1000;

/**
 * Answers a request whose body is not to be read (wrong key, unknown path, too large). When a
 * body is on its way, the connection is closed once the answer is sent: the rest of the body is
 * never buffered (what still arrives is dropped) and the socket is cut at most 1 s later.
 */
export function refuseFakeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body?: unknown,
): void {
  if (hasBody(req)) res.once('finish', () => closeUnread(req.socket));
  sendFakeResponse(res, status, body);
}

/**
 * Half-closes a connection, then cuts it once its client has closed its side, or after
 * `LINGER_MS`. Cutting it at once, with bytes of the body unread, would reset it, and a reset can
 * reach the client before it has read the answer.
 */
function closeUnread(socket: Socket): void {
  socket.end();
  // unref: a client that never closes does not keep the process (or jest) alive.
  const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(timer));
}
