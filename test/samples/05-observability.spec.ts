import { describe, expect, it } from '@jest/globals';
import { postJson } from './http-client.js';
import { useSampleProcesses } from './sample-process.js';

describe('sample/05-observability as a process (development fake Hamsa)', () => {
  const samples = useSampleProcesses('05-observability');

  it("GET /metrics shows nestjs-hamsa's metrics; its spans are printed", async () => {
    const sample = await samples.start('05-observability');
    const spoken = await postJson(`${sample.url}/tts`, JSON.stringify({ text: 'مرحبا' }));
    expect(spoken.status).toBe(200);
    await spoken.arrayBuffer();

    const response = await fetch(`${sample.url}/metrics`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toMatch(/^hamsa_voices\{hamsa_voice_state="ready",.*\} 3$/m);
    expect(body).toMatch(/^hamsa_voice_preload_duration_seconds_count\{.*\} 1$/m);
    expect(body).toMatch(/^hamsa_tts_duration_seconds_count\{hamsa_tts_transport="rest",.*\} 1$/m);
    expect(sample.output()).toContain("name: 'hamsa.voice.preload'");
  }, 30_000);
});
