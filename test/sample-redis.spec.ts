import { expect, it } from '@jest/globals';
import { describeWithRedis, useRedis } from './support/describe-with-redis.js';
import { VoiceReadinessService } from '../lib/index.js';
import { useSampleApp } from './support/sample-app.js';

describeWithRedis('the sample with REDIS_URL set', () => {
  const redis = useRedis();

  const sample = useSampleApp(() => ({
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
    expect(sample.logger.lines.map((line) => line.message)).toContain(
      'Replicas coordinate through Redis (REDIS_URL)',
    );
  });
});
