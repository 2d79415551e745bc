import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, Module, Query, Res } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  HamsaTtsService,
  HamsaVoiceModule,
  sendTtsAudio,
  splitSpeechText,
  type FastifyReplyLike,
} from '../../lib/index.js';
import { type FakeHamsaServer, fakeSpeech } from '../../lib/testing/index.js';
import { type ServerResponse } from 'node:http';
import { fakeOptions } from '../support/hamsa-app.js';
import {
  failOnUnhandledRejections,
  sleep,
  useHamsaHarness,
  waitFor,
} from '../support/hamsa-harness.js';
import { voice } from '../tts/tts-harness.js';

const ANSWER = 'أهلا بك في خدمة العملاء الخاصة بنا. Your next bill is due on the 3rd of May.';

/** A controller as a user would write it, on Express (`res`) or Fastify (`reply`). */
@Controller()
class AudioController {
  constructor(private readonly tts: HamsaTtsService) {}

  @Get('speak-text')
  speakText(@Query('text') text: string, @Res() res: ServerResponse | FastifyReplyLike) {
    return sendTtsAudio(res, (signal) =>
      this.tts.speakText(text, { speaker: voice, wav: true, signal }),
    );
  }

  @Get('stream')
  stream(@Query('text') text: string, @Res() res: ServerResponse | FastifyReplyLike) {
    return sendTtsAudio(res, (signal) => this.tts.streamWav({ text, speaker: voice }, { signal }));
  }
}

/** GETs `path`; resolves with the response once its headers came. */
function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => httpRequest(url, resolve).on('error', reject).end());
}

async function body(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.each(['express', 'fastify'] as const)('sendTtsAudio() on %s', (platform) => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  async function start(server: FakeHamsaServer): Promise<string> {
    @Module({
      imports: [HamsaVoiceModule.forRoot(fakeOptions(server, { voiceIds: [voice] }))],
      controllers: [AudioController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app: INestApplication =
      platform === 'express'
        ? moduleRef.createNestApplication({ logger: false })
        : moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    harness.track(app);
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  it('sends the audio of speakText() as one WAV, and of streamWav()', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const url = await start(server);

    const speech = await get(`${url}/speak-text?text=${encodeURIComponent(ANSWER)}`);
    const wav = await body(speech);
    const streamed = await body(await get(`${url}/stream?text=${encodeURIComponent(ANSWER)}`));

    expect(speech.statusCode).toBe(200);
    expect(speech.headers['content-type']).toBe('audio/wav');
    const bare = Buffer.concat(splitSpeechText(ANSWER).map((segment) => fakeSpeech(segment)));
    expect(wav.subarray(44).equals(bare)).toBe(true);
    expect(streamed.subarray(44).equals(fakeSpeech(ANSWER))).toBe(true);
  });

  it('answers 400 with the problems for an invalid request, before any audio', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const url = await start(server);

    const response = await get(`${url}/stream?text=`);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse((await body(response)).toString())).toMatchObject({
      error: 'HamsaTtsRequestError',
    });
  });

  it.each(['speak-text', 'stream'])(
    '%s: stops the Hamsa call within 100 ms of the client disconnecting',
    async (path) => {
      // Audio at real time: the call would go on for seconds.
      const server = await harness.server({ coldStartMs: 0, ttsBytesPerSecond: 32_000 });
      const url = await start(server);
      const response = await get(`${url}/${path}?text=${encodeURIComponent(ANSWER)}`);
      await new Promise((resolve) => response.once('data', resolve));

      const leftAt = Date.now();
      response.destroy();
      await waitFor(
        () => server.ttsCalls.every((call) => call.endedAt !== undefined),
        'every Hamsa call ended',
      );

      const lastEnd = Math.max(...server.ttsCalls.map((call) => call.endedAt!));
      expect(lastEnd - leftAt).toBeLessThanOrEqual(100);
      const calls = server.ttsCalls.length;
      await sleep(150);
      expect(server.ttsCalls.length).toBe(calls);
    },
  );

  it('a client that stops reading holds back the Hamsa calls (backpressure)', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const url = await start(server);
    // 20 segments of ~1,900 characters: ~12 MB of audio, more than the sockets can hold.
    const sentence = `${'كلمة '.repeat(379)}نهاية.`;
    const text = Array.from({ length: 20 }, () => sentence).join(' ');
    const response = await get(`${url}/speak-text?text=${encodeURIComponent(text)}`);
    response.pause();

    await sleep(1_000);
    const callsHeld = server.ttsCalls.length;
    await sleep(500);

    expect(server.ttsCalls.length).toBe(callsHeld);
    expect(callsHeld).toBeLessThan(20);
    response.destroy();
  });
});
