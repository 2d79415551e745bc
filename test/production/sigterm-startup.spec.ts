import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { HamsaVoiceModule } from '../../lib/index.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { freePort } from '../support/free-port.js';
import { fakeOptions } from '../support/hamsa-app.js';
import {
  failOnUnhandledRejections,
  settled,
  sleep,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';

const run = promisify(execFile);

/** Where this suite compiles its app, apart from the other suites' outputs. */
const OUT_DIR = 'dist-sample/sigterm-startup';
const APP = `${OUT_DIR}/test/production/sigterm-startup.app.js`;
const voiceId = fakeVoiceId(1);
/** How long after its preload reached Hamsa the starting app gets its SIGTERM. */
const SIGTERM_AFTER_MS = 300;
/** How long the app may take to end once it got the SIGTERM. */
const EXIT_WITHIN_MS = 2_000;
const INTERRUPTED_LINE = /startup.*interrupted.*shutdown/i;

/** How a process ended: its exit code, or the signal that ended it. */
interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The app as a process, its stdout and stderr together. */
interface AppProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<Ending>;
}

/** Whether anything answers HTTP on `port` (the app listens once its startup finished). */
async function answers(port: number): Promise<boolean> {
  try {
    await (await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) })).text();
    return true;
  } catch {
    return false;
  }
}

describe('the app as a process: SIGTERM while a blocking startup waits for the voices', () => {
  const children: ChildProcess[] = [];
  const servers: FakeHamsaServer[] = [];

  beforeAll(async () => {
    await run('npx', ['tsc', '-p', 'test/production/tsconfig.app.json', '--outDir', OUT_DIR], {
      timeout: 90_000,
    });
  }, 100_000);

  afterEach(async () => {
    // Whatever happened: no app process outlives its test.
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  /** Starts the app on a free port against a fresh fake Hamsa, `hang` making its preload hang. */
  async function startApp(useProcessExit: boolean, hang: boolean) {
    const hamsa = await FakeHamsaServer.start({ coldStartMs: 0 });
    servers.push(hamsa);
    if (hang) hamsa.script(voiceId, { hang: true });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    Object.assign(env, {
      PORT: String(port),
      HAMSA_API_KEY: hamsa.apiKey,
      HAMSA_BASE_URL: hamsa.url,
      HAMSA_VOICE_IDS: voiceId,
      USE_PROCESS_EXIT: useProcessExit ? '1' : '0',
    });
    const child = spawn(process.execPath, [APP], { env });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as Ending);
    const app: AppProcess = { child, output: () => output, exited };
    return { app, hamsa, port };
  }

  /** Sends SIGTERM and resolves with how the app ended; fails if it takes over 2 s. */
  async function terminate(app: AppProcess): Promise<Ending> {
    app.child.kill('SIGTERM');
    return within(EXIT_WITHIN_MS, 'the app to exit after SIGTERM', app.exited);
  }

  /** How a SIGTERM ends the app once it has started (listening, voices ready). */
  async function endingAfterStartup(useProcessExit: boolean): Promise<Ending> {
    const { app, port } = await startApp(useProcessExit, false);
    const giveUpAt = Date.now() + 20_000;
    while (!(await answers(port))) {
      if (Date.now() > giveUpAt || app.child.exitCode !== null) {
        throw new Error(`the app never started; its output:\n${app.output()}`);
      }
      await sleep(50);
    }
    return terminate(app);
  }

  describe.each([
    ['enableShutdownHooks()', false],
    ['enableShutdownHooks([], { useProcessExit: true })', true],
  ])('with %s', (_, useProcessExit) => {
    it('ends within 2 s as after a started app, logging one line and no error', async () => {
      const afterStartup = await endingAfterStartup(useProcessExit);
      const { app, hamsa, port } = await startApp(useProcessExit, true);
      // The preload reached Hamsa, which never answers: the startup blocks on it.
      await waitFor(() => hamsa.requests.length === 1, 'the preload to reach Hamsa', 20_000);
      await sleep(SIGTERM_AFTER_MS);
      expect(await answers(port)).toBe(false);
      expect(app.child.exitCode).toBeNull();

      const ending = await terminate(app);

      expect(ending).toEqual(afterStartup);
      const output = app.output();
      const lines = output.split('\n');
      expect(lines.filter((line) => INTERRUPTED_LINE.test(line))).toHaveLength(1);
      expect(output).not.toContain('HamsaPreloadError');
      expect(output).not.toMatch(/^\s+at /m);
      expect(hamsa.requests).toHaveLength(1);
    }, 60_000);
  });
});

describe('close() while listen() waits for the voices, in process', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  it('returns promptly, logs one line and no error, and leaves nothing listening or in flight', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    server.script(voiceId, { hang: true });
    const options = fakeOptions(server, { voiceIds: [voiceId], waitForReady: true });
    const moduleRef = await Test.createTestingModule({
      imports: [HamsaVoiceModule.forRoot(options)],
    }).compile();
    const logger = new CapturingLogger();
    const app = harness.track(moduleRef.createNestApplication({ logger }));
    // NestJS runs close() at once, not after the pending startup (listen() may then never settle).
    const listening = settled(app.listen(0, '127.0.0.1'));
    await waitFor(() => server.inFlight === 1, 'the preload to reach Hamsa');

    await within(1_000, 'close()', harness.close(app));

    await waitFor(() => server.inFlight === 0, 'the hanging preload to be aborted');
    const listened = await Promise.race([listening, sleep(100).then(() => 'pending')]);
    expect(listened).not.toBeInstanceOf(Error);
    expect(app.getHttpServer().listening).toBe(false);
    const interrupted = logger.lines.filter((line) => INTERRUPTED_LINE.test(line.message));
    expect(interrupted).toEqual([expect.objectContaining({ level: 'log', context: 'HamsaVoice' })]);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(JSON.stringify(logger.lines)).not.toContain('HamsaPreloadError');
    expect(server.requests).toHaveLength(1);
  });
});
