import { once } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type RawData, WebSocket } from 'ws';
import { FakeHamsaServer, type FakeHamsaServerOptions } from '../../lib/testing/index.js';
import { sleep, waitFor } from '../support/hamsa-harness.js';

/** A raw client of the fake's WebSocket that keeps every message, and when it came. */
async function connect(server: FakeHamsaServer) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/realtime/ws`, {
    headers: { 'X-Api-Key': server.apiKey },
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

  it('says hello after wsHelloDelayMs', async () => {
    const { messages, openedAt, socket } = await connect(await start({ wsHelloDelayMs: 150 }));

    await waitFor(() => messages.length === 1, 'the hello');

    expect(messages[0].text).toBe('info');
    expect(messages[0].at - openedAt).toBeGreaterThanOrEqual(140);
    socket.close();
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
