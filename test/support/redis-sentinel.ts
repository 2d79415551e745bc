import { type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { type RedisNode } from './redis-cluster.js';
import { installed, killProcess, pollUntil, redisCli, spawnUntil } from './redis-process.js';
import { RedisServer, redisServerPresent } from './redis-server.js';

/** Whether Sentinel can run here: `redis-server`, `redis-sentinel` and `redis-cli`. */
export const redisSentinelPresent =
  redisServerPresent && installed('redis-sentinel') && installed('redis-cli');

/** How to install them, for the name of a skipped test or bench row. */
export const REDIS_SENTINEL_INSTALL_HINT =
  'apt-get install -y redis-server redis-sentinel redis-tools';

const SENTINEL_MASTER_NAME = 'm';
const SENTINELS = 3;

/**
 * A primary, one replica (`--replicaof`) and three sentinels (quorum 2, a primary down after
 * 1 s, failover timeout 3 s), on free loopback ports, each sentinel with its own config file in a
 * temp dir (a sentinel rewrites it). Started once the replica is in sync and every sentinel knows
 * the replica and the two other sentinels, so that a failover can happen. Stopped by PID.
 */
export class RedisSentinelSet {
  private readonly sentinelProcesses: ChildProcess[] = [];
  private readonly sentinelPorts: number[] = [];

  private constructor(
    private readonly primary: RedisServer,
    private readonly replica: RedisServer,
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisSentinelSet> {
    const primary = await RedisServer.start();
    const replica = await RedisServer.start(['--replicaof', '127.0.0.1', String(primary.port)]);
    const set = new RedisSentinelSet(
      primary,
      replica,
      await mkdtemp(join(tmpdir(), 'hamsa-sent-')),
    );
    try {
      for (let n = 0; n < SENTINELS; n++) await set.startSentinel(n);
      await pollUntil(
        'the replica in sync',
        async () =>
          (await redisCli(['-p', String(replica.port), 'info', 'replication'])).includes(
            'master_link_status:up',
          ),
        15_000,
      );
      for (const port of set.sentinelPorts) {
        await pollUntil(
          `sentinel ${port} knowing the replica and the other sentinels`,
          async () => {
            const master = await redisCli([
              '-p',
              String(port),
              'sentinel',
              'master',
              SENTINEL_MASTER_NAME,
            ]);
            return /num-slaves\n1\n/.test(master) && /num-other-sentinels\n2\n/.test(master);
          },
          20_000,
        );
      }
      return set;
    } catch (error) {
      await set.close();
      throw error;
    }
  }

  /** The name the sentinels monitor the primary under (ioredis' `name` option). */
  readonly name = SENTINEL_MASTER_NAME;

  /** The sentinels, as ioredis' `sentinels` option takes them. */
  get sentinels(): RedisNode[] {
    return this.sentinelPorts.map((port) => ({ host: '127.0.0.1', port }));
  }

  /** Kills the primary (SIGKILL): the sentinels promote the replica about 1-3 s later. */
  killPrimary(): Promise<void> {
    return this.primary.stop();
  }

  async close(): Promise<void> {
    await Promise.all(this.sentinelProcesses.map((child) => killProcess(child)));
    await Promise.all([this.primary.close(), this.replica.close()]);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async startSentinel(n: number): Promise<void> {
    const port = await freePort();
    const file = join(this.dir, `sentinel-${n}.conf`);
    const name = SENTINEL_MASTER_NAME;
    await writeFile(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${this.primary.port} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 3000`,
        '',
      ].join('\n'),
    );
    this.sentinelProcesses.push(await spawnUntil('redis-sentinel', [file], '+monitor master'));
    this.sentinelPorts.push(port);
  }
}
