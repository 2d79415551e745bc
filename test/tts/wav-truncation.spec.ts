import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  HamsaConnectionError,
  HamsaMalformedAudioError,
  HamsaTtsService,
} from '../../lib/index.js';
import { bareStreamFormat, wavHeader } from '../../lib/tts/wav.js';
import { rejectionOf, useHamsaHarness } from '../support/hamsa-harness.js';
import { collect } from './tts-harness.js';

const request = { text: 'مرحبا', speaker: 'Amjad' };

/**
 * An upstream that answers every POST 200 with `body`, without Content-Length or chunking — the
 * body ends when the connection closes, so only the WAV header can tell it was cut short.
 */
async function upstream(body: Buffer): Promise<{ server: Server; url: string; posts: number }> {
  const state = { posts: 0 };
  const server = createServer((req, res) => {
    state.posts++;
    req.resume();
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nConnection: close\r\n\r\n';
    res.socket?.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    get posts() {
      return state.posts;
    },
  };
}

describe('answers cut short where the transport cannot tell', () => {
  const harness = useHamsaHarness();
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function ttsAgainst(body: Buffer) {
    const raw = await upstream(body);
    servers.push(raw.server);
    const fake = await harness.server();
    const app = await harness.start(fake, { baseUrl: raw.url });
    return { raw, tts: app.moduleRef.get(HamsaTtsService) };
  }

  // A RIFF header declaring 64,000 bytes, then 1,000 bytes of audio: 1,044 bytes come.
  const cut = Buffer.concat([
    wavHeader(bareStreamFormat(false), 64_000 - 44),
    Buffer.alloc(1000, 3),
  ]);

  it.each([
    ['synthesize()', (tts: HamsaTtsService) => tts.synthesize(request)],
    ['stream()', (tts: HamsaTtsService) => collect(tts.stream(request))],
  ])(
    '%s rejects a WAV shorter than its RIFF size with a retryable HamsaConnectionError',
    async (_name, call) => {
      const { raw, tts } = await ttsAgainst(cut);

      const error = await rejectionOf(call(tts));

      expect(error).toBeInstanceOf(HamsaConnectionError);
      expect(error).toMatchObject({ retryable: true, voiceId: 'Amjad' });
      expect((error as Error).message).toMatch(/ended after 1044 of the 64000 bytes/);
      expect(raw.posts).toBe(1);
    },
  );

  it('synthesize() returns the same answer when it is whole', async () => {
    const whole = Buffer.concat([cut, Buffer.alloc(64_000 - cut.length, 3)]);
    const { tts } = await ttsAgainst(whole);

    const wav = await tts.synthesize(request);

    expect(wav.equals(whole)).toBe(true);
  });

  it('synthesize() rejects a malformed WAV header with HamsaMalformedAudioError', async () => {
    const header = wavHeader(bareStreamFormat(false), 1000);
    header.writeUInt32LE(0xffffffff, 24);
    const { raw, tts } = await ttsAgainst(Buffer.concat([header, Buffer.alloc(1000)]));

    const error = await rejectionOf(tts.synthesize(request));

    expect(error).toBeInstanceOf(HamsaMalformedAudioError);
    expect(raw.posts).toBe(1);
  });
});
