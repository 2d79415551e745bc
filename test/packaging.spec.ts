import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);

/** Runs a consumer script in its own Node process, as a user of the published package would. */
async function consume(script: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [script], { timeout: 20_000 });
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

  it.each([
    ['import', 'test/packaging/consumer.mjs', 'esm'],
    ['require', 'test/packaging/consumer.cjs', 'cjs'],
  ])('preloads a voice when loaded with %s', async (_how, script, format) => {
    await expect(consume(script)).resolves.toEqual({ format, ready: true, requests: 1 });
  });
});
