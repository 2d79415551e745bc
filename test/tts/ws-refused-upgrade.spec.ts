import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { HamsaServerError, HamsaTtsService } from '../../lib/index.js';
import { compileHamsaApp } from '../support/hamsa-app.js';
import { rejectionOf, useHamsaHarness, waitFor, within } from '../support/hamsa-harness.js';

const apiKey = 'refused-upgrade-key';

/**
 * A server that refuses every WebSocket upgrade with 500 and a body that never ends, and counts
 * what it managed to write before the client hung up.
 */
async function startRefusingServer() {
  const server: Server = createServer();
  const state = { written: 0, clientLeft: false };
  server.on('upgrade', (_request, socket: Duplex) => {
    socket.on('error', () => undefined);
    socket.once('close', () => (state.clientLeft = true));
    socket.write('HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\n\r\n');
    const chunk = Buffer.alloc(16 * 1024, 'overloaded ');
    const pump = () => {
      while (!socket.destroyed) {
        state.written += chunk.length;
        if (!socket.write(chunk)) return;
      }
    };
    socket.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, state };
}

describe('openSession(): an upgrade refused with an HTTP answer', () => {
  const harness = useHamsaHarness();
  let refusing: Awaited<ReturnType<typeof startRefusingServer>> | undefined;

  afterEach(async () => {
    refusing?.server.closeAllConnections();
    await new Promise((resolve) => refusing?.server.close(resolve));
    refusing = undefined;
  });

  it('reads at most 64 KB of an endless body, then hangs up', async () => {
    refusing = await startRefusingServer();
    const app = await compileHamsaApp({
      apiKey,
      voiceIds: [],
      baseUrl: refusing.url,
      requestTimeoutMs: 5_000,
    });
    harness.track(app.moduleRef);
    await app.moduleRef.init();

    const error = await within(
      1_000,
      'the refused opening',
      rejectionOf(app.moduleRef.get(HamsaTtsService).openSession()),
    );

    expect(error).toBeInstanceOf(HamsaServerError);
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toMatch(/^Hamsa answered 500: overloaded/);
    expect((error as Error).message).not.toContain(apiKey);
    await waitFor(() => refusing!.state.clientLeft, 'the client hung up');
    // The body never ends: only hanging up stopped it (socket buffers hold a few MB at most).
    expect(refusing.state.written).toBeLessThan(16 * 2 ** 20);
  });
});
