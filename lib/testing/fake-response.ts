import { type ServerResponse } from 'node:http';
import { defaultBody } from './fake-preload-bodies.js';

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
