import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from './support/free-port.js';

const run = promisify(execFile);

/** Latency of the sample's embedded fake Hamsa: voices stay `loading` this long. */
const LATENCY_MS = 2_500;
/** The sample's graceful shutdown delay: readiness is 503 this long before the server closes. */
const SHUTDOWN_DELAY_MS = 1_500;

interface Probe {
  status: number;
  body: { status?: string; details?: Record<string, { readiness?: string }> };
  at: number;
}

/** GET, or `undefined` when nothing listens (yet, or any more). */
async function probe(url: string): Promise<Probe | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return {
      status: response.status,
      body: (await response.json()) as Probe['body'],
      at: Date.now(),
    };
  } catch {
    return undefined;
  }
}

function readiness(answer: Probe | undefined): string | undefined {
  return answer?.body.details?.['hamsa-voices']?.readiness;
}

// One compilation for both suites: two tsc runs writing dist-sample at once would race.
beforeAll(async () => {
  await run('npx', ['tsc', '-p', 'sample/tsconfig.json'], { timeout: 90_000 });
}, 100_000);

describe('the sample as a process (node dist-sample/sample/main.js)', () => {
  const children: ChildProcess[] = [];
  let output = '';

  afterAll(() => {
    // Whatever happened: no sample process outlives the suite.
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  /** Starts the sample on a free port, its embedded fake Hamsa `LATENCY_MS` slow. */
  async function start() {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    for (const name of ['HAMSA_API_KEY', 'HAMSA_BASE_URL', 'HAMSA_VOICE_IDS']) delete env[name];
    Object.assign(env, {
      PORT: String(port),
      HAMSA_FAKE_LATENCY_MS: String(LATENCY_MS),
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    });
    output = '';
    const spawned = spawn(process.execPath, ['dist-sample/sample/main.js'], { env });
    children.push(spawned);
    spawned.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    spawned.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(spawned, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    return { spawned, exited, url: `http://127.0.0.1:${port}` };
  }

  it('is not ready while voices load, ready once loaded, and on SIGTERM turns 503 before exiting 0', async () => {
    const { spawned, exited, url } = await start();
    const ready = `${url}/health/ready`;

    // Until the first answer, then until 200: every answer before is a 503 naming loading voices.
    const seen: Probe[] = [];
    const giveUpAt = Date.now() + 20_000;
    while (seen.at(-1)?.status !== 200) {
      if (Date.now() > giveUpAt || spawned.exitCode !== null) {
        throw new Error(`the sample never became ready; its output:\n${output}`);
      }
      const answer = await probe(ready);
      if (answer) seen.push(answer);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const notReady = seen.slice(0, -1);
    expect(notReady.length).toBeGreaterThan(0);
    for (const answer of notReady) {
      expect(answer.status).toBe(503);
      expect(readiness(answer)).toBe('not_ready');
    }
    expect(readiness(seen.at(-1))).toBe('ready');
    expect((await probe(`${url}/speech`))?.status).toBe(200);

    const signalledAt = Date.now();
    spawned.kill('SIGTERM');
    let drained: Probe | undefined;
    while (spawned.exitCode === null && !drained) {
      const answer = await probe(ready);
      if (answer?.status === 503) drained = answer;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [code] = await exited;
    const exitedAt = Date.now();

    expect(drained).toBeDefined();
    expect(readiness(drained)).toBe('shutting_down');
    expect(drained!.at).toBeLessThan(exitedAt);
    expect(code).toBe(0);
    // The server kept answering during the delay, so the process cannot have exited before it.
    expect(exitedAt - signalledAt).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS - 50);
    expect(exitedAt - signalledAt).toBeLessThan(SHUTDOWN_DELAY_MS + 10_000);
  }, 60_000);

  it('on Ctrl-C (SIGINT) exits 0 without the drain, which is for SIGTERM only', async () => {
    const { spawned, exited, url } = await start();
    const giveUpAt = Date.now() + 20_000;
    while ((await probe(`${url}/health/live`))?.status !== 200) {
      if (Date.now() > giveUpAt || spawned.exitCode !== null) {
        throw new Error(`the sample never answered; its output:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    spawned.kill('SIGINT');

    expect(await exited).toEqual([0, null]);
    expect(output).toContain('Received termination signal SIGINT');
    expect(output).not.toContain('Awaiting');
  }, 30_000);
});

/** What `node dist-sample/sample/say.js …args` printed, and its exit code. */
async function say(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['HAMSA_API_KEY', 'HAMSA_BASE_URL', 'HAMSA_VOICE_IDS']) delete env[name];
  const child = spawn(process.execPath, ['dist-sample/sample/say.js', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

describe('npm run say (node dist-sample/sample/say.js)', () => {
  const USAGE = /^usage: npm run say -- "<text>" \[--voice <id or name>\]/m;
  const STACK_FRAME = /^\s+at /m;

  it.each(['--help', '-h'])('%s prints the usage on stdout and exits 0', async (flag) => {
    const { code, stdout, stderr } = await say(flag);

    expect(code).toBe(0);
    expect(stdout).toMatch(USAGE);
    expect(stdout).toContain('--out, -o');
    expect(stderr).toBe('');
  });

  it.each([
    [['--nope'], "say: Unknown option '--nope'."],
    [['مرحبا', '-x'], "say: Unknown option '-x'."],
    [['مرحبا', '--voice'], "say: Option '-v, --voice <value>' argument missing"],
    [[], 'say: no text to speak'],
    [['  '], 'say: no text to speak'],
  ])('%j: one line saying why, the usage, exit 2, no stack trace', async (args, reason) => {
    const { code, stdout, stderr } = await say(...args);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toContain(reason);
    expect(stderr).toMatch(USAGE);
    expect(stderr).not.toMatch(STACK_FRAME);
  });
});
