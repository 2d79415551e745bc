import { HttpService } from '@nestjs/axios';
import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import axios from 'axios';
import { HamsaVoiceModule, VoiceReadinessService } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { fakeOptions } from '../support/hamsa-app.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';

const apiKey = 'hK7+q/Zx9=Lm+Vb/Tr0=-http-module';

describe('preload through the HttpService of HttpModule', () => {
  const harness = useHamsaHarness();

  it('sends every preload through the HttpService Nest provides, the key per request', async () => {
    const server = await harness.server({ apiKey });
    const instance = axios.create();
    const sentThrough: string[] = [];
    instance.interceptors.request.use((config) => {
      sentThrough.push(String(config.url));
      return config;
    });
    const voiceIds = [fakeVoiceId(1), fakeVoiceId(2)];
    const moduleRef = harness.track(
      await Test.createTestingModule({
        imports: [HamsaVoiceModule.forRoot(fakeOptions(server, { apiKey, voiceIds }))],
      })
        .overrideProvider(HttpService)
        // @nestjs/axios 4 (CommonJS) sees axios' .d.cts types, this ESM file its .d.ts: same object.
        .useValue(new HttpService(instance as ConstructorParameters<typeof HttpService>[0]))
        .setLogger(new CapturingLogger())
        .compile(),
    );

    await moduleRef.init();

    expect(moduleRef.get(VoiceReadinessService).isAllReady()).toBe(true);
    expect(sentThrough).toEqual(['/v2/tts/voices/custom/preload', '/v2/tts/voices/custom/preload']);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      `Token ${apiKey}`,
      `Token ${apiKey}`,
    ]);
    // Its defaults never get the key: each request carries it.
    expect(JSON.stringify(instance.defaults.headers)).not.toContain(apiKey);
    expect(instance.defaults.baseURL).toBeUndefined();
  });
});
