import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, request } from 'node:http';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import {
  FakeHamsaServer,
  fakeVoiceId,
  type FakeHamsaServerOptions,
} from '../../lib/testing/index.js';

describe('FakeHamsaServer', () => {
  let hamsa: FakeHamsaServer | undefined;

  afterEach(async () => {
    await hamsa?.close();
    hamsa = undefined;
  });

  async function start(options?: FakeHamsaServerOptions): Promise<FakeHamsaServer> {
    hamsa = await FakeHamsaServer.start(options);
    return hamsa;
  }

  function preload(
    server: FakeHamsaServer,
    voiceId: unknown,
    init: { key?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    return fetch(`${server.url}${HAMSA_ENDPOINTS.preload}`, {
      method: 'POST',
      headers: {
        authorization: `Token ${init.key ?? server.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ voiceId }),
      signal: init.signal,
    });
  }

  it('answers 200 with the documented envelope and a request id', async () => {
    const server = await start();
    const res = await preload(server, fakeVoiceId(1));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(await res.json()).toEqual({
      success: true,
      message: 'Custom voice have been preloaded successfully',
      data: [],
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 401 to a wrong key or a Bearer scheme, before validating the voice', async () => {
    const server = await start({ apiKey: 'right' });
    const wrongKey = await preload(server, 'Amjad', { key: 'wrong' });
    const bearer = await fetch(`${server.url}${HAMSA_ENDPOINTS.preload}`, {
      method: 'POST',
      headers: { authorization: 'Bearer right' },
      body: JSON.stringify({ voiceId: fakeVoiceId(1) }),
    });
    for (const res of [wrongKey, bearer]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        success: false,
        message: 'Invalid or missing API key',
        messageKey: 'UNAUTHORIZED',
      });
    }
  });

  it('answers 400 to a voice id that is not a UUID or a body that is not JSON', async () => {
    const server = await start();
    const name = await preload(server, 'Amjad');
    const notJson = await fetch(`${server.url}${HAMSA_ENDPOINTS.preload}`, {
      method: 'POST',
      headers: { authorization: `Token ${server.apiKey}` },
      body: 'voiceId=1',
    });
    for (const res of [name, notJson]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        success: false,
        message: 'Invalid voice ID format',
        messageKey: 'INVALID_VOICE_ID',
      });
    }
    const upperCase = await preload(server, fakeVoiceId(1).toUpperCase());
    expect(upperCase.status).toBe(200);
    await upperCase.body?.cancel();
  });

  it('answers 404 to an unknown voice when voiceIds is given, until it is added', async () => {
    const server = await start({ voiceIds: [fakeVoiceId(1)] });
    const known = await preload(server, fakeVoiceId(1));
    expect(known.status).toBe(200);
    await known.body?.cancel();

    const unknown = await preload(server, fakeVoiceId(2));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      success: false,
      message: 'Voice not found',
      messageKey: 'VOICE_NOT_FOUND',
    });

    server.addVoice(fakeVoiceId(2));
    const added = await preload(server, fakeVoiceId(2));
    expect(added.status).toBe(200);
    await added.body?.cancel();
  });

  it('answers 404 JSON to any other path or method', async () => {
    const server = await start();
    for (const res of [
      await fetch(`${server.url}${HAMSA_ENDPOINTS.preload}`),
      await fetch(`${server.url}/v1/not-an-endpoint`, { method: 'POST' }),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ success: false, message: 'Not found' });
    }
  });

  it('plays scripted steps in order, then falls back to the default', async () => {
    const server = await start();
    const voice = fakeVoiceId(1);
    server.script(voice, { status: 503, headers: { 'Retry-After': '2' } });
    server.script(voice, { status: 200, body: { success: false, message: 'odd' } });

    const first = await preload(server, voice);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.headers.get('x-request-id')).toBe('req-1');
    expect(await first.json()).toEqual({
      success: false,
      message: 'Service Unavailable',
      messageKey: 'SERVICE_UNAVAILABLE',
    });

    const second = await preload(server, voice);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ success: false, message: 'odd' });

    const third = await preload(server, voice);
    expect(third.status).toBe(200);
    expect(await third.json()).toMatchObject({ success: true });
  });

  it('sends a string body as text, and scripts even a non-UUID voice', async () => {
    const server = await start();
    server.script('Amjad', { status: 502, body: 'Bad Gateway', delayMs: 20 });
    const res = await preload(server, 'Amjad');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Bad Gateway');
  });

  it('still checks the API key before a scripted step', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { status: 500 });
    const res = await preload(server, fakeVoiceId(1), { key: 'wrong' });
    expect(res.status).toBe(401);
    await res.body?.cancel();
    const scripted = await preload(server, fakeVoiceId(1));
    expect(scripted.status).toBe(500);
    await scripted.body?.cancel();
  });

  it('hangs until the client gives up, and then closes promptly', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { hang: true });
    await expect(
      preload(server, fakeVoiceId(1), { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow(/abort|timeout/i);
    expect(server.requests).toHaveLength(1);

    const before = Date.now();
    await server.close();
    expect(Date.now() - before).toBeLessThan(500);
    expect(server.inFlight).toBe(0);
  });

  it('ends a hanging request when it closes', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { hang: true });
    const pending = preload(server, fakeVoiceId(1));
    await waitFor(() => server.inFlight === 1 && server.requests.length === 1);

    const rejected = expect(pending).rejects.toThrow('fetch failed');
    const before = Date.now();
    await server.close();
    expect(Date.now() - before).toBeLessThan(500);
    await rejected;
    expect(server.inFlight).toBe(0);
  });

  it('resets the connection without answering', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { reset: true }, { reset: true, delayMs: 20 });
    await expect(preload(server, fakeVoiceId(1))).rejects.toThrow('fetch failed');
    await expect(preload(server, fakeVoiceId(1))).rejects.toThrow('fetch failed');
    expect(server.requests).toHaveLength(2);
    await waitFor(() => server.inFlight === 0);
  });

  it('resets the connection in the middle of the body', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { resetMidBody: true });
    const res = await preload(server, fakeVoiceId(1));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('answers 200 with a body that is not JSON', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { malformed: true });
    const res = await preload(server, fakeVoiceId(1));
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow('is not valid JSON');
  });

  it('trickles the body one byte per interval, and stops when the client leaves', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { trickle: true, intervalMs: 5 }, { trickle: true });
    const before = Date.now();
    const res = await preload(server, fakeVoiceId(1));
    expect(await res.json()).toMatchObject({ success: true });
    expect(Date.now() - before).toBeGreaterThanOrEqual(5 * 50);

    const controller = new AbortController();
    const slow = await preload(server, fakeVoiceId(1), { signal: controller.signal });
    expect(slow.status).toBe(200);
    controller.abort();
    await waitFor(() => server.inFlight === 0);
  });

  it('answers 200 with an oversized JSON body', async () => {
    const server = await start();
    server.script(fakeVoiceId(1), { oversized: true, bytes: 100_000 }, { oversized: true });
    const small = await (await preload(server, fakeVoiceId(1))).text();
    expect(small).toHaveLength(100_000);
    expect(JSON.parse(small)).toMatchObject({ success: true });
    expect(await (await preload(server, fakeVoiceId(1))).arrayBuffer()).toHaveProperty(
      'byteLength',
      10 * 1024 * 1024,
    );
  });

  it('turns away requests over rateLimitPerSecond with 429 and when to come back', async () => {
    const server = await start({ rateLimitPerSecond: 3 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => preload(server, fakeVoiceId(n))));
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = answers.find((res) => res.status === 429)!;
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(server.requests.filter((request) => request.rateLimited)).toHaveLength(2);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await preload(server, fakeVoiceId(6))).status).toBe(200);
  });

  it('turns away preload requests over maxInFlight with 429, and admits more once answered', async () => {
    const server = await start({ maxInFlight: 2, latencyMs: 100 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => preload(server, fakeVoiceId(n))));
    expect(answers.map((res) => res.status).sort()).toEqual([200, 200, 429, 429, 429]);
    const limited = answers.find((res) => res.status === 429)!;
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ success: false, messageKey: 'TOO_MANY_REQUESTS' });
    expect(server.requests.filter((request) => request.rateLimited)).toHaveLength(3);

    const next = await Promise.all([6, 7].map((n) => preload(server, fakeVoiceId(n))));
    expect(next.map((res) => res.status)).toEqual([200, 200]);
  });

  it('frees a maxInFlight slot when the client gives up on a hanging request', async () => {
    const server = await start({ maxInFlight: 1 });
    server.script(fakeVoiceId(1), { hang: true });
    const controller = new AbortController();
    const hanging = preload(server, fakeVoiceId(1), { signal: controller.signal });
    await waitFor(() => server.inFlight === 1);
    expect((await preload(server, fakeVoiceId(2))).status).toBe(429);

    controller.abort();
    await expect(hanging).rejects.toThrow();
    await waitFor(() => server.inFlight === 0);
    expect((await preload(server, fakeVoiceId(2))).status).toBe(200);
  });

  it('counts concurrent requests and delays unscripted answers by the latency', async () => {
    const server = await start({ latencyMs: 100 });
    const before = Date.now();
    const answers = await Promise.all([1, 2, 3].map((n) => preload(server, fakeVoiceId(n))));
    expect(Date.now() - before).toBeGreaterThanOrEqual(90);
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
    await Promise.all(answers.map((res) => res.text()));
    expect(server.peakInFlight).toBe(3);
    expect(server.inFlight).toBe(0);

    server.reset();
    server.setLatency(0);
    expect(server.peakInFlight).toBe(0);
    await (await preload(server, fakeVoiceId(1))).text();
    expect(server.peakInFlight).toBe(1);
  });

  it('keeps connections alive for a keep-alive agent', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      for (const n of [1, 2, 3]) {
        expect(await postWithAgent(server, agent, fakeVoiceId(n))).toBe(200);
      }
    } finally {
      agent.destroy();
    }
    expect(server.connectionCount).toBe(1);
    expect(server.requests).toHaveLength(3);
  });

  it('records every request in order with headers, body and voice id', async () => {
    const server = await start();
    const before = Date.now();
    await (await preload(server, fakeVoiceId(1))).text();
    await (await preload(server, 'Amjad', { key: 'wrong' })).text();
    await (await fetch(`${server.url}/other?x=1`)).text();

    const [first, second, third] = server.requests;
    expect(server.requests).toHaveLength(3);
    expect(first).toMatchObject({
      method: 'POST',
      path: HAMSA_ENDPOINTS.preload,
      body: JSON.stringify({ voiceId: fakeVoiceId(1) }),
      voiceId: fakeVoiceId(1),
      headers: { authorization: 'Token test-api-key', 'content-type': 'application/json' },
    });
    expect(first?.receivedAt).toBeGreaterThanOrEqual(before);
    // Answered 401 before its body was read: recorded, with no body.
    expect(second).toMatchObject({ body: '', headers: { authorization: 'Token wrong' } });
    expect(second?.voiceId).toBeUndefined();
    expect(third).toMatchObject({ method: 'GET', path: '/other?x=1', body: '' });
    expect(third?.voiceId).toBeUndefined();
    expect(server.requestsFor(fakeVoiceId(1))).toEqual([first]);
  });

  it('forgets records, scripts and counters on reset, but keeps voices and key', async () => {
    const server = await start({ apiKey: 'k', voiceIds: [fakeVoiceId(1)] });
    server.script(fakeVoiceId(1), { status: 500 });
    await (await preload(server, fakeVoiceId(2))).text();

    server.reset();
    expect(server.requests).toEqual([]);
    expect(server.connectionCount).toBe(0);
    expect(server.peakInFlight).toBe(0);
    expect((await preload(server, fakeVoiceId(1))).status).toBe(200);
    expect((await preload(server, fakeVoiceId(2))).status).toBe(404);
    expect(server.apiKey).toBe('k');
  });

  it('closes idempotently and stops listening', async () => {
    const server = await start();
    await (await preload(server, fakeVoiceId(1))).text();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    await expect(preload(server, fakeVoiceId(1))).rejects.toThrow('fetch failed');
  });

  it('makes deterministic, well-formed voice ids', () => {
    expect(fakeVoiceId(7)).toBe('00000000-0000-4000-8000-000000000007');
    expect(fakeVoiceId(7)).toBe(fakeVoiceId(7));
    expect(() => fakeVoiceId(-1)).toThrow(RangeError);
    expect(() => fakeVoiceId(1.5)).toThrow(RangeError);
  });
});

function postWithAgent(server: FakeHamsaServer, agent: Agent, voiceId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${HAMSA_ENDPOINTS.preload}`, {
      method: 'POST',
      agent,
      headers: { authorization: `Token ${server.apiKey}`, 'content-type': 'application/json' },
    });
    req.on('error', reject).on('response', (res) => {
      res.resume().on('end', () => resolve(res.statusCode ?? 0));
    });
    req.end(JSON.stringify({ voiceId }));
  });
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
