import { type ChildProcess, fork, type ForkOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Run from its TypeScript source (a jest test), a child loads its TypeScript the same way;
 * compiled (`npm run bench`), it needs nothing.
 */
const EXEC_ARGV = import.meta.url.endsWith('.ts')
  ? ['--import', fileURLToPath(new URL('./ts-source.register.mjs', import.meta.url))]
  : [];

/** Forks `script` (a `.js` URL beside its source) with `args`, as source or compiled. */
export function forkScript(script: URL, args: string[], options: ForkOptions = {}): ChildProcess {
  return fork(fileURLToPath(script), args, { ...options, execArgv: EXEC_ARGV });
}
