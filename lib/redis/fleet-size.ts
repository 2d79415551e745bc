import { type FleetKeys } from './fleet-keys.js';
import { rateCommands } from './rate-scripts.js';
import { type RedisLink } from './redis-link.js';

/** A replica not seen for this long no longer counts as alive. */
export const ALIVE_MS = 60_000;
/** How often a replica marks itself alive. */
const KEEP_ALIVE_INTERVAL_MS = 5_000;

/**
 * How many replicas share the fleet's rate limit: those seen alive through Redis in the last
 * minute (each marks itself alive every 5 s, and with every send slot it reserves), or
 * `expectedReplicas` while Redis was never reachable. Marking starts at the first send.
 */
export class FleetSize {
  private seen?: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly link: RedisLink,
    private readonly keys: FleetKeys,
    readonly replica: string,
    private readonly expectedReplicas: number,
  ) {}

  /** The replicas last seen alive, or `expectedReplicas` before Redis ever answered. */
  get current(): number {
    return this.seen ?? this.expectedReplicas;
  }

  /** Records a count Redis answered. */
  saw(alive: number): void {
    this.seen = Math.max(1, alive);
  }

  /** Starts marking this replica alive every few seconds (once; no-op after). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.keepAlive(), KEEP_ALIVE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops marking, and removes this replica from the count if it ever marked itself. */
  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    const { redis } = this.link;
    await this.link.run(() => rateCommands.leave(redis, this.keys, this.replica), 0);
  }

  private async keepAlive(): Promise<void> {
    const { redis } = this.link;
    const alive = await this.link.run(
      () => rateCommands.keepAlive(redis, this.keys, this.replica, ALIVE_MS),
      undefined,
    );
    if (alive !== undefined) this.saw(alive);
  }
}
