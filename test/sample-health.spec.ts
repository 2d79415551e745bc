import { describe, expect, it } from '@jest/globals';
import { AppModule } from '../sample/03-production/app.module.js';
import { useSampleApp } from './support/sample-app.js';

/** Latency of the embedded fake Hamsa: voices stay `loading` this long, probes answer 503. */
const LATENCY_MS = 1_500;
const PROBES = 3;

describe("the production sample: terminus' logs while voices load", () => {
  const sample = useSampleApp(AppModule, { HAMSA_FAKE_LATENCY_MS: String(LATENCY_MS) });

  it('answers 503 to each readiness probe without logging "Health Check has failed"', async () => {
    for (let probe = 0; probe < PROBES; probe++) {
      const response = await fetch(`${sample.baseUrl}/health/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'error',
        error: { 'hamsa-voices': { readiness: 'not_ready' } },
      });
    }

    const failures = sample.logger.lines.filter((line) =>
      line.message.includes('Health Check has failed'),
    );
    expect(failures).toEqual([]);
    expect(sample.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it("still logs terminus' own shutdown lines, under the context Terminus", async () => {
    await sample.close();

    expect(sample.logger.lines).toContainEqual({
      level: 'log',
      message: expect.stringMatching(/^Received termination signal/),
      context: 'Terminus',
    });
  });
});
