import 'reflect-metadata';
import { type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type HamsaCoordinator,
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  VoiceReadinessService,
  type VoiceStatus,
} from '../../../lib/index.js';
import { fakeVoiceId } from '../../../lib/testing/index.js';
import { RemoteFakeServer } from './remote-fake-server.js';

/**
 * One scenario: `instances` apps in this process, each preloading the same `voices`, against a
 * fake Hamsa in a process of its own (its clock for the rate limit is not held up by theirs).
 */
export interface ReplicaScenario {
  instances: number;
  voices: number;
  rateLimitPerSecond: number;
  /** Module options of every instance, on top of the fake server's URL and key. */
  options: Partial<HamsaVoiceModuleOptions>;
  /** Each instance's own `coordinator` option, as each pod builds its own. */
  coordinator?: () => HamsaCoordinator;
  /** Texts whose log lines (any level, every instance) `logs` counts. */
  countLogs?: string[];
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
  /**
   * The longest time, over voices, from the first instance having a voice ready to the last: with
   * shared preloads, how long the others took to follow the announcement.
   */
  readySpreadMs: number;
  /** How many log lines contained each of `countLogs`. */
  logs: Record<string, number>;
}

/** Starts every instance at once against one rate-limited fake server, and measures. */
export async function runReplicas(scenario: ReplicaScenario): Promise<ReplicaResult> {
  const { instances, voices, rateLimitPerSecond, options, coordinator } = scenario;
  const logs = new LineCounter(scenario.countLogs ?? []);
  const server = await RemoteFakeServer.start({ rateLimitPerSecond });
  const voiceIds = Array.from({ length: voices }, (_, n) => fakeVoiceId(n));
  const startedAt = Date.now();
  try {
    const apps = await Promise.all(
      Array.from({ length: instances }, () => {
        @Module({
          imports: [
            HamsaVoiceModule.forRoot({
              ...options,
              ...(coordinator && { coordinator: coordinator() }),
              apiKey: server.apiKey,
              baseUrl: server.url,
              voiceIds,
            }),
          ],
        })
        class ReplicaModule {}
        return NestFactory.createApplicationContext(ReplicaModule, { logger: logs });
      }),
    );
    try {
      const readiness = apps.map((app) => app.get(VoiceReadinessService));
      await Promise.all(readiness.map((service) => service.whenAllReady().catch(() => undefined)));
      const tookMs = Date.now() - startedAt;
      const statuses = readiness.flatMap((service) => service.getAllStatuses());
      const { requests, turnedAway, peakReceivedPerSecond, peakAcceptedPerSecond } =
        await server.stats();
      return {
        idealMs: Math.round(((instances * voices) / rateLimitPerSecond) * 1000),
        tookMs,
        ready: statuses.filter((status) => status.state === 'ready').length,
        failed: statuses.filter((status) => status.state === 'failed').length,
        requests,
        rateLimited: turnedAway,
        peakReceivedPerSecond,
        peakAcceptedPerSecond,
        readySpreadMs: readySpreadMs(statuses),
        logs: logs.counts,
      };
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  } finally {
    await server.close();
  }
}

/** The longest spread of one voice's `readyAt` across instances. */
function readySpreadMs(statuses: VoiceStatus[]): number {
  const times = new Map<string, number[]>();
  for (const { voiceId, readyAt } of statuses) {
    if (readyAt) times.set(voiceId, [...(times.get(voiceId) ?? []), readyAt.getTime()]);
  }
  const spreads = [...times.values()].map((each) => Math.max(...each) - Math.min(...each));
  return Math.max(0, ...spreads);
}

/** A logger that prints nothing and counts the lines containing each of `texts`. */
class LineCounter implements LoggerService {
  readonly counts: Record<string, number>;

  constructor(private readonly texts: string[]) {
    this.counts = Object.fromEntries(texts.map((text) => [text, 0]));
  }

  log(message: unknown): void {
    for (const text of this.texts) if (String(message).includes(text)) this.counts[text]++;
  }

  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
}
