import { type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { installed, killProcess, spawnUntil } from './redis-process.js';

/** Whether Debian's `redis-server` (Redis 7) is installed here. */
export const redisServerPresent = installed('redis-server');

/** How to install it, for the name of a skipped test or bench row. */
export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server';

/**
 * A `redis-server` of a test's own, on a free loopback port, its files in a temp dir; nothing
 * saved to disk. `stop()` and `start()` again keep the port, for outage tests. `extraArgs` are
 * more of its command line (a replica's `--replicaof`, a cluster node's settings).
 */
export class RedisServer {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly extraArgs: string[],
  ) {}

  static async start(extraArgs: string[] = []): Promise<RedisServer> {
    const dir = await mkdtemp(join(tmpdir(), 'hamsa-redis-'));
    const server = new RedisServer(await freePort(), dir, extraArgs);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again), resolving once it accepts connections. */
  async restart(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    this.process = await spawnUntil(
      'redis-server',
      [...args, '--save', '', '--appendonly', 'no', ...this.extraArgs],
      'Ready to accept connections',
    );
  }

  /** Stops the server (SIGKILL, by PID); clients see their connection close. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    await killProcess(child);
  }

  /** Stops the server and removes its dir. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
