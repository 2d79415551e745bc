import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
/** The NestJS major this run has installed: 12 from the lockfile, 11 in CI's second run. */
const nestVersion = (
  JSON.parse(readFileSync('node_modules/@nestjs/core/package.json', 'utf8')) as { version: string }
).version;
const nestMajor = nestVersion.split('.')[0];

/** Runs a consumer script in its own Node process, as a user of the published package would. */
async function consume(script: string, ...nodeOptions: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [...nodeOptions, script], { timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
}

describe('the built package', () => {
  beforeAll(async () => {
    await run('npm', ['run', 'build'], { timeout: 60_000 });
  }, 70_000);

  it('ships ESM and CommonJS builds with type declarations', () => {
    for (const file of ['esm/index.js', 'esm/index.d.ts', 'cjs/index.js', 'cjs/index.d.ts']) {
      expect(existsSync(`dist/${file}`)).toBe(true);
    }
    expect(existsSync('dist/cjs/package.json')).toBe(true);
  });

  // .ci/run runs this on both majors, so together the runs cover an ESM app on Nest 12 and a
  // CommonJS app on Nest 11 (the two a user is likely to have), and the two other pairings.
  it('packs only what a user needs: the two builds, their declarations, README and LICENSE', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { timeout: 30_000 });
    const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const paths = packed.files.map((file) => file.path);
    const outsideBuilds = paths.filter((path) => !/^dist\/(esm|cjs)\/.+\.(js|d\.ts)$/.test(path));

    expect(outsideBuilds.sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist/cjs/package.json',
      'package.json',
    ]);
    for (const entry of ['index', 'testing/index', 'terminus/index', 'redis/index']) {
      for (const file of [`dist/esm/${entry}.js`, `dist/cjs/${entry}.d.ts`]) {
        expect(paths).toContain(file);
      }
    }
  });

  // Each app must load only its own copy (no dual-package hazard): a CommonJS app only dist/cjs,
  // an ESM app nothing through the CommonJS loader.
  it.each([
    ['an ESM app (import)', 'test/packaging/consumer.mjs', 'esm', []],
    ['a CommonJS app (require)', 'test/packaging/consumer.cjs', 'cjs', ['dist/cjs']],
  ])(
    `preloads a voice from %s on NestJS ${nestMajor}, loading only its own copy`,
    async (_how, script, format, copiesInRequireCache) => {
      await expect(consume(script)).resolves.toEqual({
        format,
        resolved: join(process.cwd(), `dist/${format}/index.js`),
        nest: nestVersion,
        ready: true,
        requests: 1,
        copiesInRequireCache,
      });
    },
  );

  it('gives a process that loads both copies two distinct sets of classes (as the README warns)', async () => {
    await expect(consume('test/packaging/both-copies.mjs')).resolves.toEqual({
      sameClass: false,
      ready: true,
      otherCopyLookup: 'UnknownElementException',
      copiesInRequireCache: ['dist/cjs'],
    });
  });

  it.each([
    ['import', 'test/packaging/terminus-consumer.mjs', 'esm'],
    ['require', 'test/packaging/terminus-consumer.cjs', 'cjs'],
  ])(
    'checks voice health with nestjs-hamsa/terminus loaded with %s',
    async (_how, script, format) => {
      await expect(consume(script)).resolves.toEqual({ format, health: 'ok', requests: 1 });
    },
  );

  // The hooks make @nestjs/terminus, @nestjs/websockets and @opentelemetry/api unresolvable: the
  // main entry must not need them (telemetry stays off), while nestjs-hamsa/terminus (which does)
  // and the API itself fail, proving the hooks work.
  it.each([
    [
      'import',
      'test/packaging/without-optional-peers.mjs',
      '--import=./test/packaging/without-optional-peers.register.mjs',
      {
        format: 'esm',
        guarded: 200,
        spoken: true,
        terminus: 'ERR_MODULE_NOT_FOUND',
        otel: 'ERR_MODULE_NOT_FOUND',
        ioredis: 'ERR_MODULE_NOT_FOUND',
      },
    ],
    [
      'require',
      'test/packaging/without-optional-peers.cjs',
      '--require=./test/packaging/without-optional-peers.register.cjs',
      {
        format: 'cjs',
        guarded: 200,
        spoken: true,
        terminus: 'MODULE_NOT_FOUND',
        otel: 'MODULE_NOT_FOUND',
        ioredis: 'MODULE_NOT_FOUND',
      },
    ],
  ])(
    'loads the main entry with %s without @nestjs/terminus, @nestjs/websockets, @opentelemetry/api nor ioredis',
    async (_how, script, hook, expected) => {
      await expect(consume(script, hook)).resolves.toEqual(expected);
    },
    40_000, // module hooks make the ESM run take seconds
  );

  it('preloads 32 voices at once without a warning of an AbortSignal listener leak', async () => {
    await expect(consume('test/packaging/many-preloads.mjs')).resolves.toEqual({ warnings: [] });
  });
});
