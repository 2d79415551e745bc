import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll } from '@jest/globals';
import { freePort } from '../support/free-port.js';
import { HAMSA_ENV } from '../support/sample-app.js';

const run = promisify(execFile);
const TSC = 'node_modules/.bin/tsc';

/** The samples under `sample/`, each started by `node <root>/sample/<name>/main.js`. */
export type SampleName =
  '01-preload' | '02-tts' | '03-production' | '04-fleet-redis' | '05-observability' | 'dashboard';

/**
 * Builds the library and the samples into `dist-sample/.suites/<tag>`, a package root of its own
 * (package.json, dist/esm, sample/): there each sample resolves `nestjs-hamsa` to that build
 * through the package's `exports`, as `npm run sample` does with dist/ — and no other suite's
 * rebuild of dist/ can pull it away mid-test. (Not `dist-sample/<tag>`: `npm run sample` writes
 * there, and a package.json of ours would capture its files.)
 */
export async function buildSamples(tag: string): Promise<string> {
  const root = `dist-sample/.suites/${tag}`;
  const sampleDir = relative(root, 'sample');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await run(TSC, ['-p', 'tsconfig.build.json', '--outDir', `${root}/dist/esm`]);
  await copyFile('package.json', `${root}/package.json`);
  const tsconfig = {
    extends: `${sampleDir}/tsconfig.json`,
    compilerOptions: {
      rootDir: sampleDir,
      outDir: './sample',
      paths: {
        'nestjs-hamsa': ['./dist/esm/index.d.ts'],
        'nestjs-hamsa/*': ['./dist/esm/*/index.d.ts'],
      },
    },
    include: [sampleDir],
  };
  await writeFile(`${root}/tsconfig.json`, JSON.stringify(tsconfig));
  await run(TSC, ['-p', `${root}/tsconfig.json`]);
  return root;
}

/** A sample running as a process of its own. */
export interface RunningSample {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with its exit code and signal. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Polls `url` every 50 ms until anything answers; fails if `child` exits or `timeoutMs` passes. */
async function waitForPort(url: string, sample: RunningSample, timeoutMs: number): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      async (response) => (await response.arrayBuffer(), true),
      () => false,
    );
    if (answered) return;
    if (Date.now() > giveUpAt || sample.child.exitCode !== null) {
      throw new Error(`the sample never answered at ${url}; its output:\n${sample.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The path of one compiled file of the samples, e.g. `02-tts/say.js`. */
export function sampleFile(root: string, file: string): string {
  return `${root}/sample/${file}`;
}

/** The environment of a sample process: no Hamsa variables of the test's, then `env`. */
export function sampleEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  for (const name of HAMSA_ENV) delete result[name];
  return Object.assign(result, env);
}

/** Starts `name` on a free port with `env`, and resolves once its port answers. */
export async function startSample(
  root: string,
  name: SampleName,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<RunningSample> {
  const port = await freePort();
  const child = spawn(process.execPath, [sampleFile(root, `${name}/main.js`)], {
    env: sampleEnv({ PORT: String(port), ...env }),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const sample: RunningSample = {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited: once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>,
  };
  try {
    await waitForPort(sample.url, sample, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return sample;
}

/** The samples of one test file: built before its tests, every process killed after each test. */
export interface SampleProcesses {
  /** Where `buildSamples()` put them. */
  readonly root: string;
  start(name: SampleName, env?: Record<string, string>): Promise<RunningSample>;
}

/** Call inside a `describe`: builds with `buildSamples(tag)`, and kills what `start()` started. */
export function useSampleProcesses(tag: string): SampleProcesses {
  let root: string | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    root = await buildSamples(tag);
  }, 120_000);
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
  return {
    get root() {
      if (!root) throw new Error('the samples are not built');
      return root;
    },
    async start(name, env) {
      const sample = await startSample(this.root, name, env);
      children.push(sample.child);
      return sample;
    },
  };
}
