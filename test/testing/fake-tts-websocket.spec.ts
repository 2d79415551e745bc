import { once } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type RawData, WebSocket } from 'ws';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import { FakeHamsaServer, type FakeHamsaServerOptions } from '../../lib/testing/index.js';
import { sleep, waitFor } from '../support/hamsa-harness.js';

/** A raw client of the fake's WebSocket that keeps every message, and when it came. */
async function connect(server: FakeHamsaServer, apiKey = server.apiKey) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}${HAMSA_ENDPOINTS.realtimeWs}`, {
    headers: { 'X-Api-Key': apiKey },
  });
  const openedAt = Date.now();
  const messages: { at: number; text?: string; bytes?: number }[] = [];
  socket.on('message', (data: RawData, isBinary: boolean) =>
    messages.push(
      isBinary
        ? { at: Date.now(), bytes: (data as Buffer).length }
        : { at: Date.now(), text: JSON.parse(data.toString()).type as string },
    ),
  );
  await once(socket, 'open');
  return { socket, openedAt, messages };
}

describe('FakeHamsaServer: WebSocket options and steps', () => {
  let server: FakeHamsaServer | undefined;
  afterEach(() => server?.close());

  async function start(options: FakeHamsaServerOptions = {}) {
    server = await FakeHamsaServer.start({ coldStartMs: 0, ...options });
    return server;
  }

  it.each([
    { newConnectionDelayMs: 150 },
    { wsHelloDelayMs: 150 }, // the deprecated name
    { newConnectionDelayMs: 150, wsHelloDelayMs: 0 },
  ])('says hello to a new connection after %p', async (options) => {
    const { messages, openedAt, socket } = await connect(await start(options));

    await waitFor(() => messages.length === 1, 'the hello');

    expect(messages[0].text).toBe('info');
    // A lower bound only: a timer never fires early, a busy machine may fire it late.
    expect(messages[0].at - openedAt).toBeGreaterThanOrEqual(140);
    socket.close();
  });

  it('counts WebSocket connections opened, wrong keys included, until reset()', async () => {
    const fake = await start();
    const first = await connect(fake);
    const second = await connect(fake);
    const refused = await connect(fake, 'wrong');
    await once(refused.socket, 'close');
    first.socket.close();

    expect(fake.wsConnections).toBe(3);
    fake.reset();
    expect(fake.wsConnections).toBe(0);
    const third = await connect(fake);
    expect(fake.wsConnections).toBe(1);
    second.socket.close();
    third.socket.close();
  });

  it('silent: ignores the connection from then on, so neither the utterance nor a ping is answered', async () => {
    const fake = await start();
    fake.scriptTts('Amjad', { silent: true });
    const quiet = await connect(fake);
    const lively = await connect(fake);
    await waitFor(() => quiet.messages.length === 1 && lively.messages.length === 1, 'hellos');
    const pongs: string[] = [];
    quiet.socket.on('pong', () => pongs.push('quiet'));
    lively.socket.on('pong', () => pongs.push('lively'));

    const utterance = JSON.stringify({ type: 'tts', payload: { text: 'مرحبا', speaker: 'Amjad' } });
    quiet.socket.send(utterance);
    await waitFor(() => fake.ttsCalls.length === 1, 'the call');
    quiet.socket.ping();
    quiet.socket.send(utterance);
    lively.socket.ping();
    await sleep(300);

    // The other connection shows what an answered ping looks like within the same wait.
    expect(pongs).toEqual(['lively']);
    expect(quiet.messages.map((message) => message.text)).toEqual(['info']);
    expect(fake.ttsCalls).toHaveLength(1);
    expect(fake.openWebSockets).toBe(2);
    // The server reads no close frame any more: only cutting the connection ends it.
    quiet.socket.terminate();
    lively.socket.close();
    await waitFor(() => fake.openWebSockets === 0, 'the server forgot both connections');
  });

  it('stallAfterBytes: ack and that many bytes, then silence with the connection open', async () => {
    const fake = await start({ ttsChunkSizes: [500] });
    fake.scriptTts('Amjad', { stallAfterBytes: 1200 });
    const { messages, socket } = await connect(fake);
    await waitFor(() => messages.length === 1, 'the hello');

    socket.send(JSON.stringify({ type: 'tts', payload: { text: 'مرحبا', speaker: 'Amjad' } }));
    await sleep(100);

    expect(messages.map((message) => message.text ?? message.bytes)).toEqual([
      'info',
      'ack',
      500,
      500,
      200,
    ]);
    expect(fake.openWebSockets).toBe(1);
    socket.close();
  });

  it('closeWebSockets() closes every connection from the server side', async () => {
    const fake = await start();
    const { socket } = await connect(fake);
    const closed = once(socket, 'close');

    fake.closeWebSockets(4000, 'bye');

    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(4000);
    expect(reason.toString()).toBe('bye');
    await waitFor(() => fake.openWebSockets === 0, 'the server forgot the connection');
  });
});
