import { freePort } from './free-port.js';
import { installed, pollUntil, redisCli } from './redis-process.js';
import { RedisServer, redisServerPresent } from './redis-server.js';

/** Whether a Redis Cluster can be made here: `redis-server` and `redis-cli` (`redis-tools`). */
export const redisClusterPresent = redisServerPresent && installed('redis-cli');

/** How to install them, for the name of a skipped test or bench row. */
export const REDIS_CLUSTER_INSTALL_HINT = 'apt-get install -y redis-server redis-tools';

/** A node's address, as ioredis' `Cluster` takes it. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * A Redis Cluster of a test's own: 3 primaries (`cluster-enabled yes`) on free loopback ports,
 * each in a temp dir of its own, joined by `redis-cli --cluster create` and started once every
 * node says `cluster_state:ok`. `close()` stops them by PID and removes their dirs.
 */
export class RedisCluster {
  private constructor(private readonly servers: RedisServer[]) {}

  static async start(primaries = 3): Promise<RedisCluster> {
    const servers: RedisServer[] = [];
    const cluster = new RedisCluster(servers);
    try {
      for (let n = 0; n < primaries; n++) {
        // The cluster bus gets a free port of its own (the default, port + 10000, may not be).
        const bus = ['--cluster-enabled', 'yes', '--cluster-port', String(await freePort())];
        servers.push(await RedisServer.start([...bus, '--cluster-config-file', 'nodes.conf']));
      }
      const addresses = cluster.nodes.map(({ host, port }) => `${host}:${port}`);
      await redisCli(['--cluster', 'create', ...addresses, '--cluster-yes']);
      for (const { port } of cluster.nodes) {
        await pollUntil(
          `node ${port} in a cluster_state:ok cluster`,
          async () =>
            (await redisCli(['-p', String(port), 'cluster', 'info'])).includes('cluster_state:ok'),
          15_000,
        );
      }
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** Every node, as ioredis' `new Cluster(nodes)` takes them. */
  get nodes(): RedisNode[] {
    return this.servers.map(({ port }) => ({ host: '127.0.0.1', port }));
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.close()));
  }
}
