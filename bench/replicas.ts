import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  VoiceReadinessService,
} from '../lib/index.js';
import { FakeHamsaServer, fakeVoiceId, type RecordedRequest } from '../lib/testing/index.js';

/** One scenario: `instances` apps in this process, each preloading the same `voices`. */
export interface ReplicaScenario {
  instances: number;
  voices: number;
  rateLimitPerSecond: number;
  /** Module options of every instance, on top of the fake server's URL and key. */
  options: Partial<HamsaVoiceModuleOptions>;
}

/** What one scenario measured. */
export interface ReplicaResult {
  /** Preloads the limit allows in the time, i.e. `instances × voices / rateLimitPerSecond`. */
  idealMs: number;
  /** From the first start until every instance had every voice settled. */
  tookMs: number;
  ready: number;
  failed: number;
  requests: number;
  rateLimited: number;
  /** Most requests the server received in any one-second window (429s included). */
  peakReceivedPerSecond: number;
  /** Most requests it let through in any one-second window. */
  peakAcceptedPerSecond: number;
}

/** Starts every instance at once against one rate-limited fake server, and measures. */
export async function runReplicas(scenario: ReplicaScenario): Promise<ReplicaResult> {
  const { instances, voices, rateLimitPerSecond, options } = scenario;
  const server = await FakeHamsaServer.start({ rateLimitPerSecond });
  const voiceIds = Array.from({ length: voices }, (_, n) => fakeVoiceId(n));
  const startedAt = Date.now();
  try {
    const apps = await Promise.all(
      Array.from({ length: instances }, () => {
        @Module({
          imports: [
            HamsaVoiceModule.forRoot({
              ...options,
              apiKey: server.apiKey,
              baseUrl: server.url,
              voiceIds,
            }),
          ],
        })
        class ReplicaModule {}
        return NestFactory.createApplicationContext(ReplicaModule, { logger: false });
      }),
    );
    try {
      const readiness = apps.map((app) => app.get(VoiceReadinessService));
      await Promise.all(readiness.map((service) => service.whenAllReady().catch(() => undefined)));
      const tookMs = Date.now() - startedAt;
      const statuses = readiness.flatMap((service) => service.getAllStatuses());
      return {
        idealMs: Math.round(((instances * voices) / rateLimitPerSecond) * 1000),
        tookMs,
        ready: statuses.filter((status) => status.state === 'ready').length,
        failed: statuses.filter((status) => status.state === 'failed').length,
        requests: server.requests.length,
        rateLimited: server.requests.filter((request) => request.rateLimited).length,
        peakReceivedPerSecond: peakPerSecond(server.requests),
        peakAcceptedPerSecond: peakPerSecond(server.requests.filter((r) => !r.rateLimited)),
      };
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  } finally {
    await server.close();
  }
}

/** The most requests received within any window of 1000 ms (a sliding window, not buckets). */
export function peakPerSecond(requests: readonly RecordedRequest[]): number {
  const times = requests.map((request) => request.receivedAt).sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= 1000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}
