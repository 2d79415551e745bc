import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { fakeVoiceId } from '../lib/testing/index.js';
import { AppModule } from '../sample/05-observability/app.module.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { useSampleApp } from './support/sample-app.js';

describe('the observability sample: GET /metrics', () => {
  const sample = useSampleApp(AppModule);

  it("answers Prometheus' text format on the app's own port", async () => {
    const response = await fetch(`${sample.baseUrl}/metrics`);

    expect(response.status).toBe(200);
    // NestJS 11 (Express' res.send) and 12 order the parameters differently.
    const [type, ...parameters] = response.headers.get('content-type')!.split(/;\s*/);
    expect(type).toBe('text/plain');
    expect(parameters.sort()).toEqual(['charset=utf-8', 'version=0.0.4']);
    const body = await response.text();
    expect(body).toMatch(/^# HELP target_info Target metadata$/m);
    expect(body).toMatch(/^# TYPE target_info gauge$/m);
  });

  it("shows the module's metrics, histograms in seconds as Prometheus names them", async () => {
    for (const voiceId of [1, 2, 3].map(fakeVoiceId)) {
      await fetch(`${sample.baseUrl}/voices/${voiceId}/ready`);
    }
    await fetch(`${sample.baseUrl}/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'مرحبا' }),
    });

    const body = await (await fetch(`${sample.baseUrl}/metrics`)).text();

    expect(body).toMatch(
      /^hamsa_voice_preload_duration_seconds_bucket\{hamsa_voice_id="[0-9a-f-]+",hamsa_preload_outcome="ready",.*le="\+Inf"\} 1$/m,
    );
    expect(body).toMatch(
      /^hamsa_voice_preload_attempts_total\{http_response_status_code="200",.*\} \d+$/m,
    );
    expect(body).toMatch(/^hamsa_voices\{hamsa_voice_state="ready",.*\} 3$/m);
    expect(body).toMatch(/^hamsa_tts_duration_seconds_count\{hamsa_tts_transport="rest",.*\} 1$/m);
    expect(body).toMatch(
      /^hamsa_tts_time_to_first_audio_seconds_bucket\{hamsa_tts_transport="rest",/m,
    );
  });

  // Each test runs its own app, one after another: each registers the global provider anew.
  it.each([1, 2])(
    'registers the global MeterProvider while app %i runs, and releases it at close',
    async () => {
      expect(metrics.getMeterProvider()).toBeInstanceOf(MeterProvider);

      await sample.close();

      expect(metrics.getMeterProvider()).not.toBeInstanceOf(MeterProvider);
    },
  );
});

describe('the observability sample: the global MeterProvider', () => {
  it('is in place once Nest has created the providers, before any onModuleInit', async () => {
    // compile() creates the providers and runs no lifecycle hook.
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(new CapturingLogger())
      .compile();
    try {
      expect(metrics.getMeterProvider()).toBeInstanceOf(MeterProvider);
    } finally {
      await moduleRef.close();
    }
    expect(metrics.getMeterProvider()).not.toBeInstanceOf(MeterProvider);
  });
});
