import { type ClientRequest, type IncomingMessage, request } from 'node:http';

/** A request on a connection of its own, that the test can cut: `request.destroy()`. */
export interface OpenRequest {
  readonly request: ClientRequest;
  /** The response's head, once it arrives (rejects if the request is cut before). */
  readonly response: Promise<IncomingMessage>;
}

/** Sends `method url` with a JSON `body` (if any) over node:http, leaving the connection to the test. */
export function openRequest(url: string, method: 'GET' | 'POST', body?: object): OpenRequest {
  const req = request(url, {
    method,
    agent: false,
    headers: body ? { 'content-type': 'application/json' } : {},
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve).once('error', reject);
  });
  // The test cuts requests on purpose: what it awaits is the fake's view of it.
  response.catch(() => undefined);
  req.end(body ? JSON.stringify(body) : undefined);
  return { request: req, response };
}

/** POSTs a raw JSON text: what a client that means harm sends. */
export function postJson(url: string, text: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
}
