import { afterEach, describe, expect, it } from '@jest/globals';
import {
  type ArgumentsHost,
  Catch,
  Controller,
  Get,
  UseFilters,
  type WsExceptionFilter,
} from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import { SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { WebSocket } from 'ws';
import {
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  RequireVoices,
  VoiceReadinessService,
  type VoicesNotReadyBody,
} from '../../lib/index.js';
import { type FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { fakeOptions } from '../support/hamsa-app.js';
import { useHamsaHarness, waitFor } from '../support/hamsa-harness.js';

const [voiceA, voiceB, voiceC] = [1, 2, 3].map(fakeVoiceId);
const unknownVoice = fakeVoiceId(99);

@RequireVoices(voiceA)
@Controller('speech')
class SpeechController {
  @Get('a')
  a() {
    return { ok: true };
  }

  /** Needs A (from the class) and B, waiting up to 1.5 s for them. */
  @RequireVoices({ waitMs: 1_500, retryAfterSeconds: 2 }, voiceB)
  @Get('a-and-b')
  aAndB() {
    return { ok: true };
  }

  /** Needs A, waiting up to 100 ms. */
  @RequireVoices({ waitMs: 100 })
  @Get('every-voice')
  everyVoice() {
    return { ok: true };
  }
}

@Controller('open')
class OpenController {
  @Get()
  open() {
    return { ok: true };
  }

  @RequireVoices(unknownVoice)
  @Get('unknown')
  unknown() {
    return { ok: true };
  }

  /** A built-in speaker needs no preload: only B is waited for, up to 1.5 s. */
  @RequireVoices({ waitMs: 1_500 }, 'Amjad', voiceB)
  @Get('amjad-and-b')
  amjadAndB() {
    return { ok: true };
  }
}

/** Sends every exception to the client as a frame, saying whether it was a real `WsException`. */
@Catch()
class ReplyWithException implements WsExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    const client = host.switchToWs().getClient<WebSocket>();
    const isWsException = exception instanceof WsException;
    const data = isWsException ? exception.getError() : String(exception);
    client.send(JSON.stringify({ event: 'exception', isWsException, data }));
  }
}

@UseFilters(new ReplyWithException())
@WebSocketGateway()
class SpeechGateway {
  @RequireVoices(voiceA)
  @SubscribeMessage('speak')
  speak() {
    return { event: 'spoken', data: 'ok' };
  }
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: unknown;
  ms: number;
}

describe('@RequireVoices and VoiceReadinessGuard', () => {
  const sockets: WebSocket[] = [];
  // Declared before the harness, so the sockets end before the apps and servers close.
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate();
  });
  const harness = useHamsaHarness();

  /** A listening HTTP + WebSocket app preloading `voiceIds` in the background. */
  async function startApp(server: FakeHamsaServer, options: Partial<HamsaVoiceModuleOptions>) {
    const moduleRef = await Test.createTestingModule({
      imports: [HamsaVoiceModule.forRoot(fakeOptions(server, { waitForReady: false, ...options }))],
      controllers: [SpeechController, OpenController],
      providers: [SpeechGateway],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    harness.track(app);
    await app.listen(0, '127.0.0.1');
    return { url: await app.getUrl(), readiness: app.get(VoiceReadinessService) };
  }

  async function startServer(...hanging: string[]) {
    const server = await harness.server();
    for (const voiceId of hanging) server.script(voiceId, { hang: true });
    return server;
  }

  async function get(url: string): Promise<Answer> {
    const startedAt = Date.now();
    const response = await fetch(url);
    const body: unknown = await response.json();
    const retryAfter = response.headers.get('retry-after');
    return { status: response.status, retryAfter, body, ms: Date.now() - startedAt };
  }

  describe('over HTTP', () => {
    it('answers 503 with Retry-After and the voices and their states while a voice loads', async () => {
      const server = await startServer(voiceA);
      const { url } = await startApp(server, { voiceIds: [voiceA, voiceB] });

      const answer = await get(`${url}/speech/a`);

      expect(answer).toMatchObject({ status: 503, retryAfter: '5' });
      expect(answer.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: `Hamsa voices not ready: ${voiceA} (loading)`,
        voices: { [voiceA]: 'loading' },
        retryAfterSeconds: 5,
      } satisfies VoicesNotReadyBody);
      expect((await get(`${url}/open`)).status).toBe(200);
    });

    it('counts a built-in speaker name as ready, and still waits for the cloned voices', async () => {
      const server = await startServer();
      server.setLatency(400);
      const { url } = await startApp(server, { voiceIds: [voiceA, voiceB] });

      const answer = await get(`${url}/open/amjad-and-b`);

      expect(answer).toMatchObject({ status: 200, body: { ok: true } });
      // It waited for B's preload (400 ms latency) instead of giving up on "Amjad" at once.
      expect(answer.ms).toBeGreaterThanOrEqual(300);
    });

    it('lets the call through once the voice is ready', async () => {
      const server = await startServer(voiceB);
      const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB] });
      await waitFor(() => readiness.isReady(voiceA), 'voice A to be ready');

      expect(await get(`${url}/speech/a`)).toMatchObject({ status: 200, body: { ok: true } });
    });

    it('with waitMs, holds the call until slow voices are ready', async () => {
      const server = await startServer();
      server.setLatency(400);
      const { url } = await startApp(server, { voiceIds: [voiceA, voiceB] });

      const answer = await get(`${url}/speech/a-and-b`);

      expect(answer).toMatchObject({ status: 200, body: { ok: true } });
      expect(answer.ms).toBeGreaterThanOrEqual(200);
      expect(answer.ms).toBeLessThan(1_500);
    });

    it('with waitMs, answers 503 once the wait is over, naming only the voices not ready', async () => {
      const server = await startServer(voiceB);
      const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB] });
      await waitFor(() => readiness.isReady(voiceA), 'voice A to be ready');

      const answer = await get(`${url}/speech/a-and-b`);

      expect(answer).toMatchObject({
        status: 503,
        retryAfter: '2',
        body: {
          message: `Hamsa voices not ready: ${voiceB} (loading)`,
          voices: { [voiceA]: 'ready', [voiceB]: 'loading' },
          retryAfterSeconds: 2,
        },
      });
      expect(answer.ms).toBeGreaterThanOrEqual(1_400);
    });

    it('does not wait for a voice that failed', async () => {
      const server = await startServer();
      server.script(voiceB, { status: 404 });
      const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB] });
      await waitFor(() => readiness.getStatus(voiceB)?.state === 'failed', 'voice B to fail');

      const answer = await get(`${url}/speech/a-and-b`);

      expect(answer).toMatchObject({ status: 503, body: { voices: { [voiceB]: 'failed' } } });
      expect(answer.ms).toBeLessThan(1_000);
    });

    it('without voice IDs, requires every voice the module knows', async () => {
      const server = await startServer(voiceC);
      const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB, voiceC] });
      await waitFor(() => readiness.isReady(voiceA) && readiness.isReady(voiceB), 'A and B');

      const answer = await get(`${url}/speech/every-voice`);

      expect(answer).toMatchObject({
        status: 503,
        body: { voices: { [voiceA]: 'ready', [voiceB]: 'ready', [voiceC]: 'loading' } },
      });
      expect(answer.ms).toBeGreaterThanOrEqual(90);
    });

    it('reports a voice the module was never asked to preload as unknown', async () => {
      const server = await startServer();
      const { url } = await startApp(server, { voiceIds: [voiceA] });

      const answer = await get(`${url}/open/unknown`);

      expect(answer).toMatchObject({
        status: 503,
        body: { voices: { [unknownVoice]: 'unknown' } },
      });
    });
  });

  describe('in a WebSocket gateway', () => {
    /** Connects to the app's WebSocket server and resolves with the next frame after `message`. */
    async function exchange(url: string, message: object): Promise<Record<string, unknown>> {
      const socket = new WebSocket(url.replace(/^http/, 'ws'));
      sockets.push(socket);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const reply = new Promise<string>((resolve) =>
        socket.once('message', (data: Buffer) => resolve(data.toString())),
      );
      socket.send(JSON.stringify(message));
      return JSON.parse(await reply) as Record<string, unknown>;
    }

    it('rejects the message with a WsException naming the voices and their states', async () => {
      const server = await startServer(voiceA);
      const { url } = await startApp(server, { voiceIds: [voiceA] });

      const reply = await exchange(url, { event: 'speak', data: {} });

      expect(reply).toEqual({
        event: 'exception',
        isWsException: true,
        data: expect.objectContaining({
          statusCode: 503,
          message: `Hamsa voices not ready: ${voiceA} (loading)`,
          voices: { [voiceA]: 'loading' },
        }),
      });
    });

    it('lets the message through once the voice is ready', async () => {
      const server = await startServer();
      const { url, readiness } = await startApp(server, { voiceIds: [voiceA] });
      await waitFor(() => readiness.isReady(voiceA), 'voice A to be ready');

      expect(await exchange(url, { event: 'speak', data: {} })).toEqual({
        event: 'spoken',
        data: 'ok',
      });
    });
  });

  describe('the decorator', () => {
    it.each<[string, () => unknown]>([
      ['a malformed UUID', () => RequireVoices(voiceA.slice(1))],
      ['a blank voice', () => RequireVoices(' ')],
      ['a negative waitMs', () => RequireVoices({ waitMs: -1 }, voiceA)],
      ['a fractional retryAfterSeconds', () => RequireVoices({ retryAfterSeconds: 1.5 })],
    ])('rejects %s at decoration time', (_label, decorate) => {
      expect(decorate).toThrow(/^@RequireVoices: /);
    });
  });
});
