import { expect, it } from '@jest/globals';
import { describeWithRedis, useRedis } from './support/describe-with-redis.js';
import { VoiceReadinessService } from '../lib/index.js';
import { AppModule } from '../sample/04-fleet-redis/app.module.js';
import { useSampleApp } from './support/sample-app.js';

describeWithRedis('the fleet sample (04-fleet-redis)', () => {
  const redis = useRedis();

  const sample = useSampleApp(AppModule, () => ({
    REDIS_URL: redis.server.url,
    HAMSA_RATE_LIMIT_PER_SECOND: '50',
    HAMSA_SHARE_PRELOADS_MS: '60000',
  }));

  it('coordinates through Redis: the readiness probe reports the coordinator connected', async () => {
    const voices = sample.app.get(VoiceReadinessService);
    await voices.whenAllReady();
    const response = await fetch(`${sample.baseUrl}/health/ready`);
    const body = (await response.json()) as { details?: Record<string, { coordinator?: string }> };
    expect(response.status).toBe(200);
    expect(body.details?.['hamsa-voices']?.coordinator).toBe('connected');
  });
});
