import { once } from 'node:events';
import { get, type IncomingMessage, type Server } from 'node:http';
import { type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { defer, finalize } from 'rxjs';
import { type VoiceStatus, VoiceReadinessService } from '../lib/index.js';
import { fakeVoiceId } from '../lib/testing/index.js';
import { AppModule } from '../sample/dashboard/app.module.js';
import { useSampleApp } from './support/sample-app.js';

const voiceIds = [1, 2, 3].map(fakeVoiceId);

/** A `text/event-stream` body, read one event at a time. */
interface EventStream {
  /** The next event's data (a `VoiceStatus`), or `undefined` once the stream has ended. */
  next(): Promise<VoiceStatus | undefined>;
}

function readEvents(body: ReadableStream<Uint8Array>): EventStream {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice('data: '.length));
          if (data.length > 0) return JSON.parse(data.join('\n')) as VoiceStatus;
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
    },
  };
}

/** The next `count` events; fails if the stream ends before. */
async function take(events: EventStream, count: number): Promise<VoiceStatus[]> {
  const taken: VoiceStatus[] = [];
  while (taken.length < count) {
    const status = await events.next();
    if (!status) throw new Error(`the stream ended after ${taken.length} of ${count} events`);
    taken.push(status);
  }
  return taken;
}

/**
 * Counts the subscriptions to `readiness.changes$` made from now on: the real stream, observed
 * through a wrapper that knows when each subscription is released.
 */
function countSubscriptions(readiness: VoiceReadinessService): () => number {
  let active = 0;
  const changes$ = readiness.changes$;
  const counted$ = defer(() => {
    active++;
    return changes$.pipe(finalize(() => active--));
  });
  Object.defineProperty(readiness, 'changes$', { value: counted$ });
  return () => active;
}

/** Polls `condition` every 20 ms for up to `timeoutMs`; returns its last answer. */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe('the dashboard sample: GET /voices/events', () => {
  const sample = useSampleApp(AppModule);

  it('sends every voice on connect, then each transition until all are ready', async () => {
    const response = await fetch(`${sample.baseUrl}/voices/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = readEvents(response.body!);

    // The embedded fake answers after 400 ms: nothing is ready yet.
    const snapshot = await take(events, 3);
    expect(snapshot.map((status) => status.voiceId)).toEqual(voiceIds);
    for (const status of snapshot) expect(['pending', 'loading']).toContain(status.state);

    const states = new Map(snapshot.map((status) => [status.voiceId, [status.state]]));
    const allReady = () => [...states.values()].every((seen) => seen.at(-1) === 'ready');
    while (!allReady()) {
      const [status] = await take(events, 1);
      states.get(status.voiceId)!.push(status.state);
    }
    for (const seen of states.values()) expect(seen.slice(-2)).toEqual(['loading', 'ready']);
  });

  it('ends the stream when the app closes, without holding close() up', async () => {
    const events = readEvents((await fetch(`${sample.baseUrl}/voices/events`)).body!);
    await take(events, 3);

    const closing = Date.now();
    await sample.close();

    expect(Date.now() - closing).toBeLessThan(2_000);
    // Whatever transitions the shutdown made, then the end of the stream.
    while ((await events.next()) !== undefined);
  });

  it('lets go of a client that leaves: its subscription and its connection', async () => {
    const subscriptions = countSubscriptions(sample.app.get(VoiceReadinessService));
    const server = sample.app.getHttpServer() as Server;
    const sockets: Socket[] = [];
    server.on('request', (request: IncomingMessage) => sockets.push(request.socket));
    // node:http, not fetch: after an abort, fetch opens a spare connection that would hold up
    // the server's close() until fetch's own keep-alive timeout (4 s).
    const request = get(`${sample.baseUrl}/voices/events`);
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    await take(readEvents(Readable.toWeb(response) as ReadableStream<Uint8Array>), 3);
    expect(subscriptions()).toBe(1);

    request.destroy();

    expect(await until(() => subscriptions() === 0, 2_000)).toBe(true);
    expect(sockets).toHaveLength(1);
    expect(await until(() => sockets[0].destroyed, 2_000)).toBe(true);
    // The transitions that follow reach no one, and break nothing.
    await sample.app.get(VoiceReadinessService).whenAllReady({ timeoutMs: 5_000 });
    expect(sample.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
