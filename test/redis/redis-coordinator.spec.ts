import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { HamsaOptionsError, HamsaVoiceModule } from '../../lib/index.js';
import { RedisHamsaCoordinator } from '../../lib/redis/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { HamsaVoiceHealthIndicator } from '../../lib/terminus/index.js';
import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { fakeOptions } from '../support/hamsa-app.js';
import { describeWithRedis, useRedis } from '../support/describe-with-redis.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';

/** A client that never connects: validation needs none. */
const idle = () => new Redis({ lazyConnect: true });

describe('RedisHamsaCoordinator options', () => {
  it.each([
    [{ rateLimitPerSecond: 0 }, 'rateLimitPerSecond must be a number above 0'],
    [{ rateLimitPerSecond: '20' }, 'rateLimitPerSecond must be a number above 0'],
    [{ sharePreloadsForMs: -1 }, 'sharePreloadsForMs must be an integer from 0 (off)'],
    [{ keyPrefix: '' }, 'keyPrefix must be 1 to 100 visible ASCII characters'],
    [{ keyPrefix: 'my app:' }, 'keyPrefix must be 1 to 100 visible ASCII characters'],
    [{ keyPrefix: '{app}:' }, 'keyPrefix must be 1 to 100 visible ASCII characters without braces'],
    [{ keyPrefix: 'app}' }, 'keyPrefix must be 1 to 100 visible ASCII characters without braces'],
    [{ commandTimeoutMs: 0 }, 'commandTimeoutMs must be an integer from 1 to 60000'],
    [{ expectedReplicas: 0 }, 'expectedReplicas must be an integer from 1 to 10000'],
    [{ expectedReplicas: 2.5 }, 'expectedReplicas must be an integer from 1 to 10000'],
    [{ shareCooldowns: 'yes' }, 'shareCooldowns must be true or false'],
    [{ ratelimit: 20 }, 'ratelimit is not an option of RedisHamsaCoordinator'],
  ])('rejects %j naming the option', (options, message) => {
    const error = (() => {
      try {
        new RedisHamsaCoordinator(idle(), options as never);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(HamsaOptionsError);
    expect((error as Error).message).toContain('Invalid RedisHamsaCoordinator options');
    expect((error as Error).message).toContain(message);
  });

  it('accepts an ioredis Cluster, and prefixes with any other visible character', () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    const options = { keyPrefix: 'my-app:[a|b]~:', expectedReplicas: 3, shareCooldowns: false };
    expect(new RedisHamsaCoordinator(cluster, options).state).toBe('degraded');
  });

  it('rejects what is not an ioredis client', () => {
    expect(() => new RedisHamsaCoordinator({} as never)).toThrow(
      'redis must be an ioredis client, such as new Redis(process.env.REDIS_URL)',
    );
  });

  it('the module rejects a coordinator that is not one', () => {
    const options = { apiKey: 'k', voiceIds: [], coordinator: { takeToken: () => undefined } };
    expect(() => HamsaVoiceModule.forRoot(options as never)).toThrow(
      'coordinator must be a HamsaCoordinator',
    );
  });

  it('never shows the Redis client (and its password) in inspect or JSON', () => {
    const coordinator = new RedisHamsaCoordinator(
      new Redis({ lazyConnect: true, password: 'redis-secret-password' }),
    );
    expect(inspect(coordinator, { depth: 10, showHidden: true })).not.toContain('redis-secret');
    expect(JSON.stringify(coordinator)).not.toContain('redis-secret');
  });
});

describeWithRedis('RedisHamsaCoordinator in the health indicator', () => {
  const harness = useHamsaHarness();
  const redis = useRedis();

  it("reports the coordinator's state in the details, and Redis down alone does not fail readiness", async () => {
    const server = await harness.server();
    const client = new Redis(redis.server.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    const voice = fakeVoiceId(1);
    const coordinator = new RedisHamsaCoordinator(client, { rateLimitPerSecond: 100 });
    const moduleRef = await Test.createTestingModule({
      imports: [
        HamsaVoiceModule.forRoot(fakeOptions(server, { voiceIds: [voice], coordinator })),
        TerminusModule,
      ],
      providers: [HamsaVoiceHealthIndicator],
    }).compile();
    harness.track(moduleRef);
    await moduleRef.init();
    const indicator = moduleRef.get(HamsaVoiceHealthIndicator);
    try {
      // 100/s for a fleet of one (this replica, seen alive through Redis).
      expect(await indicator.isHealthy()).toEqual({
        'hamsa-voices': expect.objectContaining({
          status: 'up',
          coordinator: 'connected',
          fallbackRatePerSecond: 100,
        }),
      });

      await redis.server.stop();
      await new Promise((resolve) => client.once('close', resolve));
      expect(await indicator.isHealthy()).toEqual({
        'hamsa-voices': expect.objectContaining({ status: 'up', coordinator: 'degraded' }),
      });
    } finally {
      await redis.server.restart();
      await new Promise((resolve) => client.once('ready', resolve));
      await client.quit();
    }
  });
});
