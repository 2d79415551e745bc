// Consumer tests: real projects that install nestjs-hamsa from the packed tarball, as users do.
//   node .ci/consumers/run.js .ci/out/nestjs-hamsa-x.y.z.tgz
// Each project under .ci/consumers/ is copied to a fresh temporary folder, installed with
// `npm install <its extra deps> <tarball>`, then checked. Writes .ci/out/consumers.json (the counts
// .ci/summarize.js reads: a jest run brings its own, every other check counts as one test), prints
// the time each step took, and exits non-zero if anything failed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../out');
const MINUTE = 60_000;

// ---- checks: each returns { passed, failed, note } ----

/** The files copied from the NestJS 11 app template must stay byte-identical (git blob ids). */
const templateUnchanged = (blobs) => ({
  name: 'template files unchanged',
  run: async ({ source }) => {
    const changed = Object.entries(blobs)
      .filter(([file, id]) => gitBlobId(readFileSync(join(source, file))) !== id)
      .map(([file]) => file);
    return verdict(changed.length === 0, changed.length ? `changed: ${changed.join(', ')}` : '');
  },
});

/** How jest and vitest write the JSON report (the same counts) that a test run is judged by. */
const JEST_REPORT = (file) => ['--json', `--outputFile=${file}`];
const VITEST_REPORT = (file) => ['--reporter=json', `--outputFile=${file}`];

/** The project's own `npm test`; the counts in its JSON report are the result. */
const testRun = (name, reportArgs) => ({
  name,
  run: async ({ dir, project }) => {
    const file = join(out, 'consumers', `${project}.tests.json`);
    const res = await exec('npm', ['test', '--', ...reportArgs(file)], dir, 3 * MINUTE);
    let passed = 0;
    let failed = 0;
    try {
      const result = JSON.parse(readFileSync(file, 'utf8'));
      passed = result.numPassedTests;
      // vitest's report has no numRuntimeErrorTestSuites; a suite that fails to load counts in
      // numFailedTestSuites there, and exits non-zero (caught below).
      failed = result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
    } catch {
      failed = 1; // the runner crashed before writing its results
    }
    // A run that exits non-zero (or hangs on an open handle) with every test green still failed.
    if ((res.code !== 0 || res.timedOut) && failed === 0) failed = 1;
    return { passed, failed, note: failed ? tail(res) : `${passed} tests` };
  },
});

/** A command that must exit 0; `expect(stdout)` may add a reason to fail. */
const command = (name, cmd, args, expect = () => '') => ({
  name,
  run: async ({ dir }) => {
    const res = await exec(cmd, args, dir, 2 * MINUTE);
    const problem = res.timedOut
      ? 'did not exit within 2 minutes'
      : res.code !== 0
        ? tail(res)
        : expect(res.stdout);
    return verdict(!problem, problem);
  },
});

/** `node <main>`: it must exit by itself, and its last line (JSON) shows what it loaded. */
const nodeMain = (name, args, build) =>
  command(name, 'node', args, (stdout) => {
    const line = stdout.trim().split('\n').at(-1) ?? '';
    let result;
    try {
      result = JSON.parse(line);
    } catch {
      return `last line is not JSON: ${line}`;
    }
    const ok = result.ready === true && result.requests === 1 && build.test(result.resolved);
    return ok ? '' : `unexpected: ${line}`;
  });

/** `tsc --noEmit` that must pass and must have read the declarations of the expected build. */
const typecheck = (name, tsc, tsconfig, build) =>
  command(name, 'node', [`node_modules/${tsc}/bin/tsc`, '-p', tsconfig, '--listFiles'], (stdout) =>
    build.test(stdout) ? '' : `did not read ${build}`,
  );

const CJS = /nestjs-hamsa[\\/]dist[\\/]cjs[\\/]index\.(d\.ts|js)$/m;
const ESM = /nestjs-hamsa[\\/]dist[\\/]esm[\\/]index\.(d\.ts|js)$/m;

// ---- the projects ----

const projects = [
  {
    name: 'nest11-cjs',
    // The template's package.json stays as it is; the library's peers are added as a user adds them.
    deps: ['@nestjs/axios@^4.0.1', 'axios@^1.13.0', 'class-validator@^0.14.2'],
    checks: [
      // nestjs/typescript-starter@c4d9330 (see README.md)
      templateUnchanged({
        'package.json': '60356431b7825677cb92722efa5afb7b18277adb',
        'tsconfig.json': 'b0bbd948b53002ecae38b5fd933a0a341219a1eb',
        'tsconfig.build.json': '2fe1df273de6f4c070ddf8fc18b3c2388f23353b',
      }),
      testRun('jest (template config: ts-jest, CommonJS)', JEST_REPORT),
      command('tsc --noEmit -p tsconfig.json', 'node_modules/.bin/tsc', [
        '--noEmit',
        '-p',
        'tsconfig.json',
      ]),
      command('tsc -p tsconfig.build.json', 'node_modules/.bin/tsc', ['-p', 'tsconfig.build.json']),
      nodeMain('node dist/main.js (require)', ['dist/main.js'], CJS),
    ],
  },
  {
    name: 'nest12-esm',
    deps: [],
    checks: [
      testRun('jest (ESM mode, @swc/jest)', JEST_REPORT),
      nodeMain('node src/main.js (import)', ['src/main.js'], ESM),
    ],
  },
  {
    name: 'vitest-esm',
    deps: [],
    checks: [testRun('vitest (unplugin-swc)', VITEST_REPORT)],
  },
  {
    name: 'types',
    deps: [],
    // One user file, type-checked as part of a CommonJS package, an ESM package and a bundler app.
    prepare: (dir) => {
      for (const folder of ['cjs', 'esm', 'bundler']) {
        mkdirSync(join(dir, folder), { recursive: true });
        cpSync(join(dir, 'consumer.ts'), join(dir, folder, 'consumer.ts'));
      }
    },
    checks: [
      typecheck('TS 5 node16, CommonJS package', 'typescript', 'tsconfig.cjs.json', CJS),
      typecheck('TS 5 node16, ESM package', 'typescript', 'tsconfig.esm.json', ESM),
      typecheck('TS 5 bundler', 'typescript', 'tsconfig.bundler.json', ESM),
      typecheck('TS 7 node16, CommonJS package', 'typescript7', 'tsconfig.cjs.json', CJS),
      typecheck('TS 7 node16, ESM package', 'typescript7', 'tsconfig.esm.json', ESM),
      typecheck('TS 7 bundler', 'typescript7', 'tsconfig.bundler.json', ESM),
      typecheck('TS 7 published .d.ts (skipLibCheck off)', 'typescript7', 'tsconfig.dts.json', CJS),
    ],
  },
];

// ---- running them ----

if (process.argv.length !== 3) {
  console.error('usage: node .ci/consumers/run.js <nestjs-hamsa-x.y.z.tgz>');
  process.exit(2);
}
const tarball = resolve(process.argv[2]);
// Outside the repository: inside it, Node and tsc would fall back to the repo's own node_modules
// (its @types/ws, its Nest 12) and hide what a real project is missing.
const work = mkdtempSync(join(tmpdir(), 'nestjs-hamsa-consumers-'));
mkdirSync(join(out, 'consumers'), { recursive: true });

const steps = [];
let passed = 0;
let failed = 0;
for (const project of projects) {
  const source = join(here, project.name);
  const dir = join(work, project.name);
  cpSync(source, dir, { recursive: true, filter: (path) => !/node_modules|dist$/.test(path) });
  project.prepare?.(dir);
  console.log(`\n${project.name} (${dir})`);

  let started = Date.now();
  const install = await exec(
    'npm',
    // --prefer-offline: use cached registry metadata when there is some (halves the Nest 11
    // template's install, 77 s → 37 s); versions still follow the ranges.
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...project.deps, tarball],
    dir,
    10 * MINUTE,
  );
  // Not a test of its own; a failed install counts as one failure and skips the project's checks.
  const installed = install.code === 0;
  report(project.name, 'npm install', installed ? {} : { failed: 1, note: tail(install) }, started);
  if (!installed) continue;

  for (const check of project.checks) {
    started = Date.now();
    const result = await check.run({ dir, source, project: project.name });
    report(project.name, check.name, result, started);
  }
}

function report(project, name, { passed: p = 0, failed: f = 0, note = '' }, started) {
  const seconds = (Date.now() - started) / 1000;
  steps.push({ project, name, passed: p, failed: f, seconds });
  passed += p;
  failed += f;
  console.log(
    `  ${f ? '✗' : '✓'} ${name}  ${seconds.toFixed(1)} s${note ? `\n${indent(note)}` : ''}`,
  );
}

printTimings();
writeFileSync(
  join(out, 'consumers.json'),
  `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numRuntimeErrorTestSuites: 0, steps }, null, 2)}\n`,
);
console.log(`consumers: ${passed} passed, ${failed} failed`);
if (failed === 0) rmSync(work, { recursive: true, force: true });
else console.log(`projects kept for inspection in ${work}`);
process.exit(failed === 0 ? 0 : 1);

// ---- helpers ----

function printTimings() {
  console.log('\nTime each consumer test adds to CI:');
  const width = Math.max(...steps.map((s) => s.project.length + s.name.length)) + 3;
  let total = 0;
  for (const project of projects) {
    const own = steps.filter((s) => s.project === project.name);
    const sum = own.reduce((acc, s) => acc + s.seconds, 0);
    total += sum;
    for (const s of own)
      console.log(`  ${`${s.project}: ${s.name}`.padEnd(width)} ${pad(s.seconds)}`);
    console.log(`  ${`${project.name} total`.padEnd(width)} ${pad(sum)}`);
  }
  console.log(`  ${'all consumers'.padEnd(width)} ${pad(total)}`);
}

/** Runs a command in its own process group, so a timeout also ends what it started (npm → jest). */
function exec(cmd, args, cwd, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group ended between the timer firing and the kill
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, timedOut });
    });
  });
}

/** Git's blob id of a file's content: the id `git ls-tree` shows in the template repository. */
function gitBlobId(content) {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function verdict(ok, note) {
  return ok ? { passed: 1, failed: 0, note } : { passed: 0, failed: 1, note };
}

/** The end of a failed command's output, without the file list of `tsc --listFiles`. */
function tail({ stdout, stderr }) {
  const lines = `${stdout}\n${stderr}`.trim().split('\n');
  return lines
    .filter((line) => !/^\/\S+\.[cm]?[jt]s$/.test(line))
    .slice(-40)
    .join('\n');
}

function indent(text) {
  return text.replace(/^/gm, '      ');
}

function pad(seconds) {
  return `${seconds.toFixed(1).padStart(6)} s`;
}
