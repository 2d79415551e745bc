import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';

/** Whether `command --version` runs here (Debian's `redis-server`, `redis-sentinel`, `redis-cli`). */
export function installed(command: string): boolean {
  return spawnSync(command, ['--version']).status === 0;
}

/**
 * Starts `command args` (a `redis-server` or `redis-sentinel`) and resolves once its output says
 * `readyText`; rejects if it exits first.
 */
export async function spawnUntil(
  command: string,
  args: string[],
  readyText: string,
): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(readyText)) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      child.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${command} exited (${code}): ${output}`));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
  return child;
}

/** Kills the process by its PID (SIGKILL) and waits for it to exit. */
export async function killProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Runs `redis-cli args` and resolves with its output; rejects when it fails. */
export async function redisCli(args: string[]): Promise<string> {
  const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`redis-cli ${args.join(' ')} exited (${code}): ${output}`);
  return output;
}

/** Polls `check` every 100 ms until it resolves `true`, or rejects after `timeoutMs`. */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
