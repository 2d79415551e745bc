import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { fakeOptions } from '../support/hamsa-app.js';
import { freePort } from '../support/free-port.js';
import {
  failOnUnhandledRejections,
  sleep,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';
import { text } from '../tts/tts-harness.js';
import { TtsStreamAppModule } from './tts-stream.app.js';

const run = promisify(execFile);
const voice = fakeVoiceId(1);
/** Where this suite compiles its app, apart from the other suites' output. */
const OUT_DIR = 'dist-sample/tts-stream';
/**
 * A trickling upstream: 20 bytes of audio every 100 ms, so each stream would last ~29 s. Its
 * clients stop reading as well: nothing but the module's grace can end these responses.
 */
const TRICKLE = { coldStartMs: 0, ttsChunkSizes: [20], ttsChunkIntervalMs: 100 };

/** A request whose client reads the status line, then stops reading; `ended` when it closes. */
function stalledClient(url: string): { answered: Promise<number>; ended: Promise<string> } {
  let answer!: (status: number) => void;
  const answered = new Promise<number>((resolve) => (answer = resolve));
  const ended = new Promise<string>((resolve) => {
    const outgoing = request(url, { agent: false });
    outgoing.on('error', () => resolve('error'));
    outgoing.on('response', (response: IncomingMessage) => {
      response.pause();
      answer(response.statusCode ?? 0);
      response.on('end', () => resolve('end'));
      response.on('close', () => resolve('close'));
    });
    outgoing.end();
  });
  return { answered, ended };
}

function streamUrl(base: string): string {
  return `${base}/tts/stream?${new URLSearchParams({ text, speaker: voice })}`;
}

describe('a shutdown that always ends (shutdownGraceMs)', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  it('app.close() ends the TTS streams still served to clients that stopped reading, after the grace', async () => {
    const GRACE_MS = 500;
    const server = await harness.server(TRICKLE);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TtsStreamAppModule.with(
          fakeOptions(server, { voiceIds: [voice], shutdownGraceMs: GRACE_MS }),
        ),
      ],
    }).compile();
    const app = harness.track(moduleRef.createNestApplication({ logger: false }));
    await app.listen(0, '127.0.0.1');
    const url = streamUrl(await app.getUrl());
    server.reset();
    const clients = [1, 2].map(() => stalledClient(url));
    const statuses = await within(
      5_000,
      'the streams to start',
      Promise.all(clients.map((c) => c.answered)),
    );
    await waitFor(() => server.ttsCalls.length === 2, 'both streams to reach the fake');

    const startedAt = Date.now();
    await within(GRACE_MS + 2_000, 'app.close()', harness.close(app));
    const closedAfterMs = Date.now() - startedAt;
    const endings = await within(
      1_000,
      'the client connections to close',
      Promise.all(clients.map((c) => c.ended)),
    );

    expect(statuses).toEqual([200, 200]);
    // The calls in flight had their grace, then were ended: their responses were cut, not whole.
    expect(closedAfterMs).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(endings.every((how) => how !== 'end')).toBe(true);
    expect(server.ttsCalls).toHaveLength(2);
  });

  describe('as a process with enableShutdownHooks()', () => {
    let child: ChildProcess | undefined;
    let hamsa: FakeHamsaServer | undefined;

    beforeAll(async () => {
      await run(
        'npx',
        [
          'tsc',
          '--ignoreConfig',
          '--outDir',
          OUT_DIR,
          '--rootDir',
          '.',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--target',
          'ES2022',
          '--experimentalDecorators',
          '--emitDecoratorMetadata',
          '--skipLibCheck',
          '--types',
          'node',
          'test/production/tts-stream.main.ts',
        ],
        { timeout: 90_000 },
      );
    }, 100_000);

    afterAll(async () => {
      // Whatever happened: no app process outlives the suite.
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await hamsa?.close();
    });

    it('exits within shutdownGraceMs + 2 s of SIGTERM, with 5 clients that stopped reading', async () => {
      const GRACE_MS = 1_000;
      hamsa = await FakeHamsaServer.start(TRICKLE);
      const port = await freePort();
      const spawned = spawn(process.execPath, [`${OUT_DIR}/test/production/tts-stream.main.js`], {
        env: {
          ...process.env,
          PORT: String(port),
          HAMSA_API_KEY: hamsa.apiKey,
          HAMSA_BASE_URL: hamsa.url,
          HAMSA_VOICE_IDS: voice,
          SHUTDOWN_GRACE_MS: String(GRACE_MS),
        },
      });
      child = spawned;
      let output = '';
      spawned.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      spawned.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(spawned, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      await waitFor(() => output.includes('listening'), 'the app to listen', 20_000).catch(
        (error: Error) => {
          throw new Error(`${error.message}; its output:\n${output}`);
        },
      );

      const clients = Array.from({ length: 5 }, () =>
        stalledClient(streamUrl(`http://127.0.0.1:${port}`)),
      );
      await within(5_000, 'the streams to start', Promise.all(clients.map((c) => c.answered)));
      await waitFor(() => hamsa!.ttsCalls.length === 5, 'every stream to reach the fake');
      await sleep(200); // the streams are trickling now

      const startedAt = Date.now();
      spawned.kill('SIGTERM');
      const [code, signal] = await within(GRACE_MS + 2_000, 'the app to exit', exited);
      const exitedAfterMs = Date.now() - startedAt;

      // Nest sends the signal again once its hooks have run: the process dies of it, cleanly.
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
      expect(exitedAfterMs).toBeGreaterThanOrEqual(GRACE_MS - 50);
      expect(output).not.toMatch(/unhandled|error/i);
      expect(hamsa.ttsCalls).toHaveLength(5);
    }, 40_000);
  });
});
