import { setTimeout as sleep } from 'node:timers/promises';
import { FallbackPacer } from './fallback-pacer.js';
import { type FleetKeys } from './fleet-keys.js';
import { ALIVE_MS, type FleetSize } from './fleet-size.js';
import { rateCommands } from './rate-scripts.js';
import { type RedisLink } from './redis-link.js';

/**
 * The shared rate limit counts sends per window of this many µs: one second, and 50 ms more, so
 * that requests reaching Hamsa up to 50 ms apart from when Redis counted them (network, event
 * loops) still never put more than the limit in any one second.
 */
export const WINDOW_US = 1_050_000;
const WINDOW_MS = WINDOW_US / 1000;
/** A confirmation that took longer than this to come back is asked for again. */
const STALE_CONFIRMATION_MS = 15;
/** How many times one send is counted again at most. */
const MAX_RECOUNTS = 3;
/**
 * Replicas find Redis again at different times (ioredis retries up to 2 s apart, a failing link
 * probes once a second), and the sends they made alone are not in Redis' log: for this long after
 * Redis answers again, a replica keeps its own pacing as well.
 */
const RECOVERY_GRACE_MS = 5_000;
/** How many voices' last counted sends are remembered, for a 429's report. */
const REMEMBERED_SENDS = 1_000;

/**
 * `rateLimitPerSecond` for the fleet: each request to the preload endpoint waits for a send slot
 * reserved in Redis and a place in its log of the last window's sends. While Redis is unavailable
 * the replica paces itself at `rateLimitPerSecond / fleetSize` instead (`FallbackPacer`): after
 * waiting one window, since the fleet's last shared sends may fill it, and for a while after
 * Redis answers again as well.
 */
export class SharedRateLimit {
  readonly pacer = new FallbackPacer(WINDOW_MS);
  private graceUntil = 0;
  private hasSharedSends = false;
  private sends = 0;
  /** The member of each voice's last send counted in Redis, the oldest first. */
  private readonly lastSends = new Map<string, string>();

  constructor(
    private readonly link: RedisLink,
    private readonly keys: FleetKeys,
    private readonly fleet: FleetSize,
    readonly limit: number,
    /** Told of a voice's wait for its slot: a lease held on the voice must outlast it. */
    private readonly onSlotWait: (voiceId: string, waitMs: number) => void,
  ) {}

  /** The requests per second this replica allows itself while Redis is unavailable. */
  get fallbackRatePerSecond(): number {
    return this.limit / this.fleet.current;
  }

  /**
   * As Redis becomes unavailable: the first send alone waits a window if the fleet's last shared
   * sends may fill it, and a random part of one more, so that replicas that lost Redis together
   * do not send in step (their requests would reach Hamsa in waves, a window apart or less).
   * Returns what this replica does meanwhile, for the log line.
   */
  degraded(): string {
    const filledMs = this.hasSharedSends ? WINDOW_MS : 0;
    this.pacer.hold(performance.now() + filledMs + Math.random() * WINDOW_MS);
    const rate = Math.round(this.fallbackRatePerSecond * 100) / 100;
    return (
      `paces its own preload requests at ${rate}/s ` +
      `(rateLimitPerSecond ${this.limit} / ${this.fleet.current} replicas)`
    );
  }

  /** As Redis answers again: keeps pacing for a while, and tells the fleet it is unsettled. */
  recovered(): void {
    this.graceUntil = performance.now() + RECOVERY_GRACE_MS;
    const { redis } = this.link;
    const unsettledMs = 2 * RECOVERY_GRACE_MS;
    void this.link.run(() => rateCommands.unsettle(redis, this.keys, unsettledMs), undefined);
  }

  /**
   * The member of the voice's last send counted in Redis while the fleet coordinated fully (not
   * degraded, nor just back), forgotten once asked; `''` when unknown.
   */
  takeLastSend(voiceId: string): string {
    const member = this.lastSends.get(voiceId) ?? '';
    this.lastSends.delete(voiceId);
    return this.isPaced() ? '' : member;
  }

  /** Resolves when this replica may send one preload request. Rejects only with `signal`'s. */
  async take(voiceId: string, signal: AbortSignal): Promise<void> {
    this.fleet.start();
    let waitMs = await this.reserveSlot(voiceId, signal);
    const member = `${this.fleet.replica}:${++this.sends}`;
    for (let recounts = 0; ;) {
      if (waitMs === undefined) return this.pacer.take(this.fallbackRatePerSecond, signal);
      if (waitMs > 0) {
        await sleep(waitMs, undefined, { signal }).catch(() => {
          throw signal.reason;
        });
      }
      // Degraded (a probe may reach Redis) or just back: this replica's own pacing holds too.
      const isPaced = this.isPaced();
      if (isPaced) {
        waitMs = this.pacer.tryTake(this.fallbackRatePerSecond);
        if (waitMs > 0) continue;
      }
      const askedAt = performance.now();
      waitMs = await this.confirm(member, isPaced, signal);
      if (isPaced && waitMs !== 0) {
        if (waitMs === undefined) return;
        this.pacer.untake();
      }
      if (waitMs !== undefined && waitMs < 0) {
        // Another replica just found Redis again: the sends made alone are not in the log.
        this.graceUntil = Math.max(this.graceUntil, performance.now() - waitMs);
        waitMs = 0;
        continue;
      }
      if (waitMs !== 0) continue;
      // A slow answer means this replica was held up after Redis counted the send (a busy event
      // loop): it would leave later than counted, so it is counted again, now (a few times at most).
      const isStale = performance.now() - askedAt > STALE_CONFIRMATION_MS;
      if (!isStale || ++recounts > MAX_RECOUNTS) {
        this.remember(voiceId, member);
        return;
      }
      if (isPaced) this.pacer.untake();
    }
  }

  /** Counts the send in Redis' log; see `rateCommands.confirmSend` (`undefined`: unavailable). */
  private confirm(member: string, isPaced: boolean, signal: AbortSignal) {
    const { redis } = this.link;
    const send = { limit: this.limit, windowUs: WINDOW_US, member, isPaced };
    return this.link.run(() => rateCommands.confirmSend(redis, this.keys, send), undefined, signal);
  }

  private isPaced(): boolean {
    return this.link.isDegraded || performance.now() < this.graceUntil;
  }

  /** Reserves the fleet's next send slot; resolves with the wait for it. */
  private async reserveSlot(voiceId: string, signal: AbortSignal): Promise<number | undefined> {
    const spacingUs = WINDOW_US / this.limit;
    const { redis } = this.link;
    const replica = { id: this.fleet.replica, aliveMs: ALIVE_MS };
    const reserved = await this.link.run(
      () => rateCommands.reserveSlot(redis, this.keys, replica, spacingUs),
      undefined,
      signal,
    );
    if (!reserved) return undefined;
    const [waitMs, alive] = reserved;
    this.fleet.saw(alive);
    if (waitMs > 0) this.onSlotWait(voiceId, waitMs);
    return waitMs;
  }

  private remember(voiceId: string, member: string): void {
    this.hasSharedSends = true;
    this.lastSends.delete(voiceId);
    this.lastSends.set(voiceId, member);
    if (this.lastSends.size > REMEMBERED_SENDS) {
      this.lastSends.delete(this.lastSends.keys().next().value as string);
    }
  }
}
