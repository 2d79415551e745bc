import { describe, expect, it } from '@jest/globals';
import { type BeforeApplicationShutdown, Controller, Get, Injectable, Query } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import {
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  type VoiceState,
  VoiceReadinessService,
} from '../../lib/index.js';
import { HamsaVoiceHealthIndicator } from '../../lib/terminus/index.js';
import { type FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { fakeOptions } from '../support/hamsa-app.js';
import { useHamsaHarness, waitFor } from '../support/hamsa-harness.js';

const [voiceA, voiceB] = [1, 2].map(fakeVoiceId);
const unknownVoice = fakeVoiceId(99);

/** `degraded` results exist from @nestjs/terminus 12.1 on; older versions report `up`. */
const DEGRADED_STATUS =
  'degraded' in new HealthIndicatorService().check('probe') ? 'degraded' : 'up';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly voices: HamsaVoiceHealthIndicator,
  ) {}

  /** `?voices=a,b` selects voices, `?partial=true` allows partial readiness. */
  @Get()
  @HealthCheck()
  check(@Query('voices') voices?: string, @Query('partial') partial?: string) {
    const options = { voiceIds: voices?.split(','), allowPartial: partial === 'true' };
    return this.health.check([() => this.voices.isHealthy('hamsa-voices', options)]);
  }
}

/** Queries the health endpoint while the application shuts down, before the server closes. */
@Injectable()
class ShutdownProbe implements BeforeApplicationShutdown {
  url?: string;
  answer?: HealthAnswer;

  async beforeApplicationShutdown(): Promise<void> {
    if (this.url) this.answer = await getHealth(this.url);
  }
}

interface HealthAnswer {
  status: number;
  body: { status: string; details: Record<string, Record<string, unknown>> };
}

function states(readiness: VoiceReadinessService): VoiceState[] {
  return readiness.getAllStatuses().map((status) => status.state);
}

async function getHealth(url: string): Promise<HealthAnswer> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthAnswer['body'] };
}

describe('HamsaVoiceHealthIndicator (nestjs-hamsa/terminus)', () => {
  const harness = useHamsaHarness();

  /** A listening app with TerminusModule, HamsaVoiceModule and the health controller. */
  async function startApp(server: FakeHamsaServer, options: Partial<HamsaVoiceModuleOptions>) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TerminusModule.forRoot({ logger: false }),
        HamsaVoiceModule.forRoot(fakeOptions(server, { waitForReady: false, ...options })),
      ],
      controllers: [HealthController],
      providers: [HamsaVoiceHealthIndicator, ShutdownProbe],
    }).compile();
    const app = harness.track(moduleRef.createNestApplication({ logger: false }));
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/health`;
    app.get(ShutdownProbe).url = url;
    return { app, url, readiness: app.get(VoiceReadinessService) };
  }

  async function startServer(...hanging: string[]) {
    const server = await harness.server();
    for (const voiceId of hanging) server.script(voiceId, { hang: true });
    return server;
  }

  it('is down with per-voice states while voices load, then up once all are ready', async () => {
    const server = await startServer();
    server.setLatency(300);
    const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB] });

    const loading = await getHealth(url);
    expect(loading.status).toBe(503);
    expect(loading.body).toMatchObject({
      status: 'error',
      details: {
        'hamsa-voices': {
          status: 'down',
          readiness: 'not_ready',
          ready: 0,
          total: 2,
          voices: { [voiceA]: 'loading', [voiceB]: 'loading' },
        },
      },
    });

    await waitFor(() => readiness.isAllReady(), 'both voices to be ready', 5_000);
    const ready = await getHealth(url);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      info: expect.any(Object),
      error: {},
      details: {
        'hamsa-voices': {
          status: 'up',
          readiness: 'ready',
          ready: 2,
          total: 2,
          voices: { [voiceA]: 'ready', [voiceB]: 'ready' },
        },
      },
    });
  });

  it('never calls Hamsa: health checks send no request', async () => {
    const server = await startServer();
    const { url, readiness } = await startApp(server, { voiceIds: [voiceA] });
    await waitFor(() => readiness.isAllReady(), 'the preload');

    for (let i = 0; i < 5; i++) expect((await getHealth(url)).status).toBe(200);

    expect(server.requests).toHaveLength(1);
  });

  it('checks only the selected voices, and reports a voice it never heard of as unknown', async () => {
    const server = await startServer(voiceB);
    const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB] });
    await waitFor(() => states(readiness).join() === 'ready,loading', 'A ready, B hanging');

    const onlyA = await getHealth(`${url}?voices=${voiceA}`);
    expect(onlyA.status).toBe(200);
    expect(onlyA.body.details['hamsa-voices']).toMatchObject({ voices: { [voiceA]: 'ready' } });

    const withUnknown = await getHealth(`${url}?voices=${voiceA},${unknownVoice}`);
    expect(withUnknown.status).toBe(503);
    expect(withUnknown.body.details['hamsa-voices']).toMatchObject({
      readiness: 'not_ready',
      voices: { [voiceA]: 'ready', [unknownVoice]: 'unknown' },
    });
  });

  it('counts a built-in speaker name as ready: it needs no preload', async () => {
    const server = await startServer();
    const { url, readiness } = await startApp(server, { voiceIds: [voiceA] });
    await waitFor(() => readiness.isAllReady(), 'the preload');

    const answer = await getHealth(`${url}?voices=${voiceA},Amjad`);

    expect(answer.status).toBe(200);
    expect(answer.body.details['hamsa-voices']).toMatchObject({
      status: 'up',
      ready: 2,
      total: 2,
      voices: { [voiceA]: 'ready', Amjad: 'ready' },
    });
  });

  it('counts a voice selected in two cases once', async () => {
    const lower = 'abcdef01-0000-4000-8000-00000000abcd';
    const server = await startServer();
    const { url, readiness } = await startApp(server, { voiceIds: [lower] });
    await readiness.whenAllReady();

    const health = await getHealth(`${url}?voices=${lower},${lower.toUpperCase()}`);

    expect(health.status).toBe(200);
    expect(health.body.details['hamsa-voices']).toMatchObject({
      ready: 1,
      total: 1,
      voices: { [lower]: 'ready' },
    });
  });

  it('is down when a voice failed', async () => {
    const server = await startServer();
    server.script(voiceB, { status: 404 });
    const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB] });
    await waitFor(() => states(readiness).join() === 'ready,failed', 'A ready, B failed');

    const answer = await getHealth(url);

    expect(answer.status).toBe(503);
    expect(answer.body.details['hamsa-voices']).toMatchObject({
      status: 'down',
      voices: { [voiceA]: 'ready', [voiceB]: 'failed' },
    });
  });

  it('with allowPartial, is degraded (HTTP 200) while some voices are ready and others load', async () => {
    const server = await startServer(voiceB);
    const { url, readiness } = await startApp(server, { voiceIds: [voiceA, voiceB] });
    await waitFor(() => states(readiness).join() === 'ready,loading', 'A ready, B hanging');

    const partial = await getHealth(`${url}?partial=true`);

    expect(partial.status).toBe(200);
    expect(partial.body.details['hamsa-voices']).toEqual({
      status: DEGRADED_STATUS,
      readiness: 'degraded',
      ready: 1,
      total: 2,
      voices: { [voiceA]: 'ready', [voiceB]: 'loading' },
    });
    expect((await getHealth(url)).status).toBe(503);
  });

  it('with allowPartial, is still down while no voice is ready', async () => {
    const server = await startServer(voiceA);
    const { url } = await startApp(server, { voiceIds: [voiceA] });

    const answer = await getHealth(`${url}?partial=true`);

    expect(answer.status).toBe(503);
    expect(answer.body.details['hamsa-voices']).toMatchObject({ readiness: 'not_ready' });
  });

  it('is up with no voices at all', async () => {
    const server = await startServer();
    const { url } = await startApp(server, { voiceIds: [] });

    const answer = await getHealth(url);

    expect(answer.status).toBe(200);
    expect(answer.body.details['hamsa-voices']).toEqual({
      status: 'up',
      readiness: 'ready',
      ready: 0,
      total: 0,
      voices: {},
    });
  });

  it('reports down (shutting_down) from beforeApplicationShutdown on, while the server still answers', async () => {
    const server = await startServer();
    const { app, url, readiness } = await startApp(server, { voiceIds: [voiceA] });
    await waitFor(() => readiness.isAllReady(), 'the preload');
    expect((await getHealth(url)).status).toBe(200);

    await harness.close(app);

    const answer = app.get(ShutdownProbe).answer;
    expect(answer?.status).toBe(503);
    expect(answer?.body.details['hamsa-voices']).toMatchObject({
      status: 'down',
      readiness: 'shutting_down',
      voices: { [voiceA]: 'ready' },
    });
  });
});
