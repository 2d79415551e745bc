import { Logger } from '@nestjs/common';
import { type HamsaCoordinatorState } from '../coordination/hamsa-coordinator.interface.js';
import { backoffMs } from '../gateway/backoff.js';
import { HAMSA_VOICE_LOGGER_CONTEXT } from '../hamsa-voice.constants.js';
import { type RedisClient } from './fleet-keys.js';

/**
 * While Redis fails, how often one command checks whether it answers again: about once a second,
 * jittered so that the replicas of a fleet do not all probe a recovering Redis at once.
 */
const PROBE_BACKOFF = { baseMs: 1_000, capMs: 1_000, jitter: 0.2 };

/** What the coordinator does when the link fails and when it answers again. */
export interface LinkTransitions {
  /** Called as the link starts failing; says what the replica does meanwhile, for the log line. */
  degraded(): string;
  /** Called as a command succeeds again after a failure. */
  recovered(): void;
}

/**
 * The coordinator's use of the application's Redis client (a single server, a Sentinel-configured
 * one or a Cluster): each command is bounded by a timeout, and when Redis is unreachable (or too
 * slow, or failing over) it is not sent or not awaited: the caller gets its fallback, the replica
 * is `degraded`, and that is logged once, until a command succeeds again (`connected`, logged once).
 */
export class RedisLink {
  private readonly logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
  private isFailing = false;
  /** While failing, one command at a time finds out whether Redis answers again… */
  private isProbing = false;
  /** …and not before this time (`performance.now()` ms): a stuck Redis costs one timeout a second. */
  private probeAt = 0;

  constructor(
    readonly redis: RedisClient,
    private readonly commandTimeoutMs: number,
    private readonly transitions: LinkTransitions,
  ) {}

  /** Whether Redis failed and has not answered since. */
  get isDegraded(): boolean {
    return this.isFailing;
  }

  /** `connected` while Redis is ready and its last command succeeded. */
  get state(): HamsaCoordinatorState {
    return this.redis.status === 'ready' && !this.isFailing ? 'connected' : 'degraded';
  }

  /**
   * Runs `command` unless Redis is unreachable, and resolves with its result, or with `fallback`
   * when it is not sent, fails or passes the timeout. Rejects only with `signal`'s reason.
   */
  async run<T>(command: () => Promise<T>, fallback: T, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (!this.isWorthAsking()) {
      this.degrade(`its connection is ${this.redis.status}`);
      return fallback;
    }
    const isProbe = this.isFailing;
    this.isProbing ||= isProbe;
    try {
      const result = await this.bounded(command(), signal);
      this.recover();
      return result;
    } catch (error) {
      signal?.throwIfAborted();
      this.probeAt = performance.now() + backoffMs(1, PROBE_BACKOFF);
      this.degrade(error instanceof Error ? error.message : String(error));
      return fallback;
    } finally {
      if (isProbe) this.isProbing = false;
    }
  }

  /**
   * Whether to send a command now: when Redis is ready (but while it is failing, one command at a
   * time and at most one a second, which waits for its timeout if Redis is stuck), or still making
   * its first
   * connection (a new client, a lazy one) and not yet known to be down. A command sent while
   * ioredis reconnects would wait in its offline queue: the replica acts alone instead.
   */
  private isWorthAsking(): boolean {
    const { status } = this.redis;
    if (status === 'ready') {
      return !this.isFailing || (!this.isProbing && performance.now() >= this.probeAt);
    }
    return (
      !this.isFailing && (status === 'wait' || status === 'connecting' || status === 'connect')
    );
  }

  /** Settles as `promise` does, or rejects at the timeout or with `signal`'s reason. */
  private bounded<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal?.reason);
      const timer = setTimeout(
        () => reject(new Error(`no answer within ${this.commandTimeoutMs} ms`)),
        this.commandTimeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
    });
  }

  private degrade(reason: string): void {
    if (this.isFailing) return;
    this.isFailing = true;
    const meanwhile = this.transitions.degraded();
    this.logger.warn(
      `Redis coordinator unavailable (${reason}): degraded, this replica ${meanwhile} until Redis ` +
        'answers again',
    );
  }

  private recover(): void {
    if (!this.isFailing) return;
    this.isFailing = false;
    this.transitions.recovered();
    this.logger.log(
      'Redis coordinator reachable again: connected, coordinating with the other replicas',
    );
  }
}
