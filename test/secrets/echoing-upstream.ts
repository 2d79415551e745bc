import { createServer, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Duplex } from 'node:stream';

/** What the upstream answers a request (or a WebSocket upgrade) with. */
export interface EchoAnswer {
  status: number;
  headers?: OutgoingHttpHeaders;
  body: string;
}

/** One request as the upstream saw it: its path, headers and JSON body (`{}` for an upgrade). */
export interface EchoRequest {
  path: string;
  headers: IncomingMessage['headers'];
  json: Record<string, unknown>;
}

/** A real `node:http` server on 127.0.0.1 that answers every request and upgrade with `answer`. */
export async function startEchoingUpstream(answer: (request: EchoRequest) => EchoAnswer) {
  const seen: EchoRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = { path: req.url ?? '/', headers: req.headers, json: parse(text) };
      seen.push(request);
      const { status, headers, body } = answer(request);
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    const request = { path: req.url ?? '/', headers: req.headers, json: {} };
    seen.push(request);
    const { status, headers = {}, body } = answer(request);
    const lines = Object.entries({ 'content-type': 'text/plain', ...headers }).map(
      ([name, value]) => `${name}: ${String(value)}\r\n`,
    );
    socket.end(`HTTP/1.1 ${status} Refused\r\n${lines.join('')}connection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: seen,
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function parse(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
