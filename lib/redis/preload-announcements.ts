import { type RedisClient } from './fleet-keys.js';

/** A wait for one voice's next announcement, registered before the caller looks at Redis. */
export interface Expectation {
  /**
   * Resolves at the voice's next announcement (at once if it came already), after `ms`, or when
   * the subscription is lost; rejects with `signal`'s reason. Ends the expectation either way.
   */
  within(ms: number, signal: AbortSignal): Promise<void>;
  /** Ends the expectation unused. */
  cancel(): void;
}

/**
 * The fleet's pub/sub channel of settled preloads, on a connection of its own (a subscribed
 * ioredis client sends nothing else), opened at first use and closed by `close()`. Replicas
 * waiting for another one's preload wake at its announcement instead of polling.
 */
export class PreloadAnnouncements {
  private subscriber?: RedisClient;
  private listening?: Promise<unknown>;
  /** Wake-ups of the voices some caller waits for; empty once nobody does. */
  private readonly expected = new Map<string, Set<() => void>>();

  constructor(
    private readonly redis: RedisClient,
    private readonly channel: string,
  ) {}

  /** Subscribes, once; resolves when the subscription holds (bound it with a timeout). */
  listen(): Promise<unknown> {
    if (!this.listening) {
      // `duplicate()` of a Cluster is a Cluster, of a Redis (Sentinel-configured too) a Redis.
      const subscriber: RedisClient = (this.redis.duplicate as () => RedisClient).call(this.redis);
      this.subscriber = subscriber;
      // Its errors are the main connection's too, which the coordinator reports.
      subscriber.on('error', () => undefined);
      subscriber.on('message', (_channel: string, voiceId: string) => this.wake(voiceId));
      // Lost: nobody waits for an announcement that may never come; they look at Redis again.
      subscriber.on('close', () => this.wakeAll());
      this.listening = subscriber.subscribe(this.channel);
      this.listening.catch(() => undefined);
    }
    return this.listening;
  }

  /** Starts waiting for the voice's next announcement. */
  expect(voiceId: string): Expectation {
    let heard = false;
    let onHeard: (() => void) | undefined;
    const wakeUp = () => {
      heard = true;
      onHeard?.();
    };
    const wakeUps = this.expected.get(voiceId) ?? new Set();
    wakeUps.add(wakeUp);
    this.expected.set(voiceId, wakeUps);
    const cancel = () => {
      wakeUps.delete(wakeUp);
      if (wakeUps.size === 0 && this.expected.get(voiceId) === wakeUps) {
        this.expected.delete(voiceId);
      }
    };
    const within = (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          cancel();
        };
        const onAbort = () => {
          done();
          reject(signal.reason);
        };
        onHeard = () => {
          done();
          resolve();
        };
        const timer = setTimeout(onHeard, ms);
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        if (heard) onHeard();
      });
    return { within, cancel };
  }

  /** Closes the subscription's connection and wakes every waiter. */
  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.listening = undefined;
    this.wakeAll();
  }

  private wake(voiceId: string): void {
    const wakeUps = this.expected.get(voiceId);
    this.expected.delete(voiceId);
    for (const wakeUp of wakeUps ?? []) wakeUp();
  }

  private wakeAll(): void {
    for (const voiceId of this.expected.keys()) this.wake(voiceId);
  }
}
