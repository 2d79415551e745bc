import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import {
  FakeHamsaServer,
  fakeVoiceId,
  type FakeHamsaServerOptions,
} from '../../lib/testing/index.js';
import { postLargeBody, sendUnmaskedFrame } from './hostile-clients.js';

const MB = 1_048_576;

describe('FakeHamsaServer against hostile local clients', () => {
  let server: FakeHamsaServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(options: FakeHamsaServerOptions = {}): Promise<FakeHamsaServer> {
    server = await FakeHamsaServer.start(options);
    return server;
  }

  function preload(fake: FakeHamsaServer, body: string): Promise<Response> {
    return fetch(`${fake.url}${HAMSA_ENDPOINTS.preload}`, {
      method: 'POST',
      headers: { authorization: `Token ${fake.apiKey}`, 'content-type': 'application/json' },
      body,
    });
  }

  it.each([
    ['a wrong key', 'wrong'],
    ['the right key', 'test-api-key'],
  ])(
    'survives an unmasked frame after a WebSocket upgrade with %s, and still answers',
    async (_what, key) => {
      const fake = await start();

      const outcome = await sendUnmaskedFrame(fake.url, key);

      expect(outcome).toEqual({
        statusLine: 'HTTP/1.1 101 Switching Protocols',
        closedByServer: true,
      });
      const res = await preload(fake, JSON.stringify({ voiceId: fakeVoiceId(1) }));
      expect(res.status).toBe(200);
      expect(fake.requests.map((request) => request.path)).toEqual([
        HAMSA_ENDPOINTS.realtimeWs,
        HAMSA_ENDPOINTS.preload,
      ]);
    },
  );

  it('closes a WebSocket with 1009 on a message over maxBodyBytes, without buffering it', async () => {
    const fake = await start({ maxBodyBytes: 64 * 1024 });
    const socket = new WebSocket(`${fake.url.replace('http', 'ws')}${HAMSA_ENDPOINTS.realtimeWs}`, {
      headers: { 'X-Api-Key': fake.apiKey },
    });
    await once(socket, 'open');
    const closed = once(socket, 'close');

    socket.send(JSON.stringify({ type: 'tts', payload: { text: 'x'.repeat(2 * MB) } }));

    const [code] = (await closed) as [number];
    expect(code).toBe(1009);
    expect(fake.ttsCalls).toEqual([]);
  });

  it('answers 400 to bytes that are not HTTP, and still answers', async () => {
    const fake = await start();
    const socket = connect(Number(new URL(fake.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.end('NOT HTTP AT ALL\r\n\r\n');
    const [answer] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();

    expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const res = await preload(fake, JSON.stringify({ voiceId: fakeVoiceId(1) }));
    expect(res.status).toBe(200);
  });

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])(
    'answers 413 to a 2 MB body %s, closes the connection and keeps no body',
    async (_, chunked) => {
      const fake = await start();

      const outcome = await postLargeBody(fake.url, HAMSA_ENDPOINTS.preload, {
        authorization: `Token ${fake.apiKey}`,
        totalBytes: 2 * MB,
        chunked,
      });

      expect(outcome.status).toBe(413);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({ path: HAMSA_ENDPOINTS.preload, body: '' });
      expect(fake.requests[0].voiceId).toBeUndefined();
      const next = await preload(fake, JSON.stringify({ voiceId: fakeVoiceId(1) }));
      expect(next.status).toBe(200);
    },
  );

  it('answers 413 as the body streams past maxBodyBytes, never reading it to its end', async () => {
    const fake = await start({ maxBodyBytes: 64 * 1024 });

    // An endless body: only a server that stops reading and closes lets this settle.
    const outcome = await postLargeBody(fake.url, HAMSA_ENDPOINTS.tts, {
      authorization: `Token ${fake.apiKey}`,
      totalBytes: Infinity,
      chunked: true,
    });

    expect(outcome.status).toBe(413);
    expect(fake.requests.map((request) => request.body)).toEqual(['']);
    expect(fake.ttsCalls).toEqual([]);
  });

  it('reads a body of exactly maxBodyBytes, and answers 413 to one byte more', async () => {
    const body = JSON.stringify({ voiceId: fakeVoiceId(1) });
    const fake = await start({ maxBodyBytes: body.length });

    const fits = await preload(fake, body);
    const over = await preload(fake, `${body} `);

    expect(fits.status).toBe(200);
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({
      success: false,
      message: 'Payload Too Large',
      messageKey: 'PAYLOAD_TOO_LARGE',
    });
    expect(fake.requests.map((request) => request.body)).toEqual([body, '']);
  });

  it('answers 401 to a 40 MB body without the key before reading it, and records no body', async () => {
    const fake = await start();

    const outcome = await postLargeBody(fake.url, HAMSA_ENDPOINTS.preload, {
      authorization: 'Token wrong',
      totalBytes: 40 * MB,
    });

    expect(outcome.status).toBe(401);
    // The kernel's socket buffers take a few MB; a server that read the body took all 40.
    expect(outcome.bytesSent).toBeLessThan(20 * MB);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      body: '',
      headers: { authorization: 'Token wrong', 'content-length': String(40 * MB) },
    });
  });

  it('answers 401 to an endless body without the key, and stays usable', async () => {
    const fake = await start({ rateLimitPerSecond: 1 });

    const outcome = await postLargeBody(fake.url, HAMSA_ENDPOINTS.preload, {
      authorization: 'Token wrong',
      totalBytes: Infinity,
      chunked: true,
    });

    expect(outcome.status).toBe(401);
    // A request without the key does not count against the account's rate limit.
    const res = await preload(fake, JSON.stringify({ voiceId: fakeVoiceId(1) }));
    expect(res.status).toBe(200);
    expect(fake.requests.map((request) => request.rateLimited)).toEqual([false, false]);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, '10' as unknown as number])(
    'refuses maxBodyBytes %p with an error naming the option',
    async (maxBodyBytes) => {
      await expect(FakeHamsaServer.start({ maxBodyBytes })).rejects.toThrow(
        /^FakeHamsaServer: maxBodyBytes must be a positive integer .*got .*default 1048576\.$/,
      );
    },
  );
});
