import { type ServerResponse } from 'node:http';
import { type FakePreloadStep } from './fake-hamsa-server.interfaces.js';
import { paddedBody, SUCCESS_BODY } from './fake-preload-bodies.js';
import { sendFakeResponse } from './fake-response.js';
import { type FakeTimers } from './fake-timers.js';

/** Plays scripted preload answers (`FakeHamsaServer.script()`), on the server's own timers. */
export class FakePreloadStepPlayer {
  constructor(private readonly timers: FakeTimers) {}

  /** Answers `res` as `step` says: a status, silence, a broken connection or a broken body. */
  play(step: FakePreloadStep, res: ServerResponse): void {
    if ('hang' in step) return;
    if ('reset' in step) return this.later(step.delayMs ?? 0, res, () => res.destroy());
    if ('malformed' in step) return sendFakeResponse(res, 200, 'OK, not JSON');
    if ('oversized' in step) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(paddedBody(step.bytes ?? 10 * 1024 * 1024));
      return;
    }
    if ('trickle' in step) return this.trickle(res, step.intervalMs ?? 100);
    if ('resetMidBody' in step) {
      const text = JSON.stringify(SUCCESS_BODY);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.write(text.slice(0, 20), () => res.destroy());
      return;
    }
    this.later(step.delayMs ?? 0, res, () =>
      sendFakeResponse(res, step.status, step.body, step.headers),
    );
  }

  /** Runs `fn` after `ms`, unless the server closes or the client leaves first. */
  later(ms: number, res: ServerResponse, fn: () => void): void {
    res.once('close', this.timers.after(ms, fn));
  }

  /** The success body, one byte every `intervalMs`. */
  private trickle(res: ServerResponse, intervalMs: number): void {
    const bytes = Buffer.from(JSON.stringify(SUCCESS_BODY));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
    let sent = 0;
    const stop = (): void => {
      cancel();
      if (!res.writableEnded) res.end();
    };
    const cancel = this.timers.every(intervalMs, () => {
      res.write(bytes.subarray(sent, ++sent));
      if (sent === bytes.length) stop();
    });
    res.once('close', stop);
  }
}
