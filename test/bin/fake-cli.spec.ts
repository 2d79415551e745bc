import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { closeAll, compileHamsaApp } from '../support/hamsa-app.js';
import { freePort } from '../support/free-port.js';
import { postLargeBody, sendUnmaskedFrame } from '../testing/hostile-clients.js';

const run = promisify(execFile);

// The library's own build (tsconfig.build.json, as `npm run build` makes dist/esm) into a folder
// of its own: `npm test` on a fresh clone has no dist/, and test/packaging.spec.ts rebuilds dist/
// while other suites run.
const OUT_DIR = 'dist-sample/fake-cli';
const BIN = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> })
  .bin['nestjs-hamsa-fake'];
const CLI = `${OUT_DIR}/${BIN.replace(/^\.\/dist\/esm\//, '')}`;

/** A running `nestjs-hamsa-fake`, with what it printed so far and its exit. */
interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

describe('nestjs-hamsa-fake (node dist/esm/bin/fake-cli.js)', () => {
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', OUT_DIR], {
      timeout: 90_000,
    });
  }, 100_000);

  afterAll(() => {
    // Whatever happened: no fake outlives the suite.
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  function start(...args: string[]): Cli {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Cli['exited'];
    return { child, stdout: () => stdout, stderr: () => stderr, exited };
  }

  /** The URL it printed, once it has; fails if it exits or stays silent for 10 s. */
  async function listening(cli: Cli): Promise<string> {
    const giveUpAt = Date.now() + 10_000;
    for (;;) {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())?.[1];
      if (url) return url;
      if (Date.now() > giveUpAt || cli.child.exitCode !== null) {
        throw new Error(`it never listened; stdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('is the file package.json names as its bin', () => {
    expect(BIN).toBe('./dist/esm/bin/fake-cli.js');
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  describe('running', () => {
    let app: Awaited<ReturnType<typeof compileHamsaApp>> | undefined;
    afterEach(async () => {
      await closeAll(app?.moduleRef);
      app = undefined;
    });

    it('prints URL, key and voices, serves a real app its voices, and exits 0 on SIGTERM', async () => {
      const voices = [fakeVoiceId(41), fakeVoiceId(42)];
      const port = await freePort();
      const cli = start('--port', String(port), '--voices', voices.join(','), '--api-key', 'k-1');
      const url = await listening(cli);

      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(cli.stdout()).toContain('API key: k-1');
      expect(cli.stdout()).toContain(`Voices:  ${voices.join(', ')}`);
      expect(cli.stdout()).toContain(
        `HAMSA_BASE_URL=${url} HAMSA_API_KEY=k-1 HAMSA_VOICE_IDS=${voices.join(',')}`,
      );

      app = await compileHamsaApp({
        apiKey: 'k-1',
        baseUrl: url,
        voiceIds: voices,
        deadlineMs: 5_000,
      });
      await app.moduleRef.init();
      expect(
        app.readiness.getAllStatuses().map((status) => [status.voiceId, status.state]),
      ).toEqual(voices.map((id) => [id, 'ready']));
      // Only the voices given exist there, and only the key given opens it.
      const preload = (voiceId: string, key: string) =>
        fetch(`${url}${HAMSA_ENDPOINTS.preload}`, {
          method: 'POST',
          headers: { authorization: `Token ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ voiceId }),
        }).then((res) => res.status);
      expect(await preload(fakeVoiceId(43), 'k-1')).toBe(404);
      expect(await preload(voices[0], 'test-api-key')).toBe(401);

      await closeAll(app.moduleRef);
      app = undefined;
      cli.child.kill('SIGTERM');
      const [code, signal] = await cli.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(cli.stdout()).toContain('SIGTERM: fake Hamsa server closed');
      expect(cli.stderr()).toBe('');
      await expect(fetch(url)).rejects.toThrow();
    }, 30_000);

    it('survives hostile clients and plays the delays and body limit its flags set', async () => {
      const flags = '--port 0 --latency 150 --cold-start 300 --new-connection-delay 200';
      const cli = start(...flags.split(' '), '--max-body-bytes', '100');
      const url = await listening(cli);
      const key = 'Token test-api-key';

      // Each of these ended the process before: an unhandled 'error' on the WebSocket.
      for (const apiKey of ['wrong', 'test-api-key']) {
        expect(await sendUnmaskedFrame(url, apiKey)).toEqual({
          statusLine: 'HTTP/1.1 101 Switching Protocols',
          closedByServer: true,
        });
      }
      const unauthenticated = await postLargeBody(url, HAMSA_ENDPOINTS.preload, {
        authorization: 'Token wrong',
        totalBytes: 40 * 1_048_576,
      });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.bytesSent).toBeLessThan(20 * 1_048_576);
      const tooLarge = await postLargeBody(url, HAMSA_ENDPOINTS.preload, {
        authorization: key,
        totalBytes: 101,
      });
      expect(tooLarge.status).toBe(413);

      // Lower bounds only: a timer never fires early, a busy machine may fire it late.
      const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
        const before = Date.now();
        const result = await call();
        return [result, Date.now() - before];
      };
      const post = (path: string, body: object) =>
        timed(async () => {
          const res = await fetch(`${url}${path}`, {
            method: 'POST',
            headers: { authorization: key, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          await res.arrayBuffer();
          return res.status;
        });
      const [ttsStatus, coldMs] = await post(HAMSA_ENDPOINTS.tts, {
        text: 'مرحبا',
        speaker: fakeVoiceId(2),
      });
      expect([ttsStatus, coldMs >= 290]).toEqual([200, true]);
      const [preloadStatus, latencyMs] = await post(HAMSA_ENDPOINTS.preload, {
        voiceId: fakeVoiceId(1),
      });
      expect([preloadStatus, latencyMs >= 140]).toEqual([200, true]);
      const [, helloMs] = await timed(async () => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}${HAMSA_ENDPOINTS.realtimeWs}`, {
          headers: { 'X-Api-Key': 'test-api-key' },
        });
        await once(socket, 'message');
        socket.close();
      });
      expect(helloMs).toBeGreaterThanOrEqual(190);

      expect(cli.child.exitCode).toBeNull();
      cli.child.kill('SIGTERM');
      const [code] = await cli.exited;
      expect(code).toBe(0);
      expect(cli.stderr()).toBe('');
    }, 30_000);

    it('with --port 0 prints the port it got, and exits 0 on SIGINT', async () => {
      const cli = start('--port', '0');
      const url = await listening(cli);
      expect(url).not.toBe('http://127.0.0.1:0');
      expect(cli.stdout()).toContain(`Voices:  ${[1, 2, 3].map(fakeVoiceId).join(', ')}`);
      expect(cli.stdout()).toContain('API key: test-api-key');
      expect((await fetch(`${url}/nowhere`)).status).toBe(404);

      cli.child.kill('SIGINT');
      const [code] = await cli.exited;
      expect(code).toBe(0);
    }, 20_000);

    it('exits 1 with one line when the port is taken', async () => {
      const taken = await FakeHamsaServer.start();
      try {
        const cli = start('--port', new URL(taken.url).port);
        const [code] = await cli.exited;
        expect(code).toBe(1);
        expect(cli.stderr()).toBe(
          `nestjs-hamsa-fake: port ${new URL(taken.url).port} is already in use on 127.0.0.1; ` +
            'choose another with --port (0: any free port)\n',
        );
      } finally {
        await taken.close();
      }
    }, 20_000);
  });

  it('prints the usage on --help and exits 0', async () => {
    const cli = start('--help');
    const [code] = await cli.exited;
    expect(code).toBe(0);
    expect(cli.stdout()).toMatch(/^Usage: nestjs-hamsa-fake \[--port 4010\]/);
    expect(cli.stdout()).toContain('--api-key <key>');
    expect(cli.stderr()).toBe('');
  }, 20_000);

  it.each([
    [['--prot', '1'], "Unknown option '--prot'"],
    [['--port', 'abc'], "--port takes an integer from 0 to 65535, got 'abc'"],
    [['--voices', 'Amjad'], '--voices takes comma-separated cloned-voice UUIDs'],
    [['extra'], "Unexpected argument 'extra'"],
  ])(
    'refuses %p: exit 2, one line naming it, the usage, no stack trace',
    async (args, message) => {
      const cli = start(...args);
      const [code] = await cli.exited;
      expect(code).toBe(2);
      const [first, ...rest] = cli.stderr().split('\n');
      expect(first).toContain(`nestjs-hamsa-fake: ${message}`);
      expect(rest[0]).toMatch(/^Usage: nestjs-hamsa-fake/);
      expect(cli.stderr()).not.toMatch(/^\s+at /m);
      expect(cli.stdout()).toBe('');
    },
    20_000,
  );
});
