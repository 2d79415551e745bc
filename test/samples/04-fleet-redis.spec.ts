import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { describeWithRedis } from '../support/describe-with-redis.js';
import { RedisServer } from '../support/redis-server.js';
import { type RunningSample, useSampleProcesses } from './sample-process.js';

/** The readiness probe's view of the coordinator, once the voices are ready. */
async function coordinatorWhenReady(sample: RunningSample): Promise<string | undefined> {
  const giveUpAt = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${sample.url}/health/ready`);
    const body = (await response.json()) as {
      details?: Record<string, { coordinator?: string }>;
    };
    if (response.status === 200) return body.details?.['hamsa-voices']?.coordinator;
    if (Date.now() > giveUpAt) throw new Error(`never ready; output:\n${sample.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The PID of the redis-server at `url`, from its own INFO. */
async function redisPid(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    return Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
  } finally {
    client.disconnect();
  }
}

describeWithRedis('sample/04-fleet-redis as a process', () => {
  const samples = useSampleProcesses('04-fleet-redis');
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(() => redis?.close());

  it('coordinates through Redis: GET /health/ready shows the coordinator connected', async () => {
    const sample = await samples.start('04-fleet-redis', { REDIS_URL: redis.url });

    expect(await coordinatorWhenReady(sample)).toBe('connected');
    expect((await fetch(`${sample.url}/voices`)).status).toBe(200);
    expect(sample.output()).not.toContain('Unhandled error event');
  }, 30_000);

  it('exits within its bound after SIGTERM while Redis is frozen (quit() would never return)', async () => {
    const sample = await samples.start('04-fleet-redis', {
      REDIS_URL: redis.url,
      SHUTDOWN_DELAY_MS: '0',
    });
    await coordinatorWhenReady(sample);
    const pid = await redisPid(redis.url);
    process.kill(pid, 'SIGSTOP');
    try {
      const signalledAt = Date.now();
      sample.child.kill('SIGTERM');
      const [code] = await sample.exited;

      expect(code).toBe(0);
      // The quit's 2 s bound, and a generous margin for the rest of the shutdown.
      expect(Date.now() - signalledAt).toBeLessThan(6_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }, 30_000);
});
