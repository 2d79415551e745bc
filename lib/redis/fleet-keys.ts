import type { Cluster, Redis } from 'ioredis';

/** The application's ioredis client: one server, a Sentinel-configured one, or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/**
 * The keys and channel of one fleet (one prefix). On a Redis Cluster each script's keys share one
 * hash slot: the fleet-wide keys carry the hash tag `{fleet}`, a voice's keys the tag `{voiceId}`
 * (so different voices spread over the slots). A prefix never holds braces: it would change them.
 */
export class FleetKeys {
  constructor(private readonly prefix: string) {}

  /** The next free send slot of the shared rate limit, in µs on Redis' clock. */
  get rateLimit(): string {
    return this.fleet('rate-limit');
  }

  /** The sends of the last window, a sorted set scored by time. */
  get sends(): string {
    return this.fleet('sends');
  }

  /** The replicas seen alive in the last minute, a sorted set scored by when each was last seen. */
  get replicas(): string {
    return this.fleet('replicas');
  }

  /** Present while the fleet waits out a 429; its time to live is the wait left. */
  get cooldown(): string {
    return this.fleet('cooldown');
  }

  /** The fleet's limit as Hamsa showed it by a 429, when lower than `rateLimitPerSecond`. */
  get learnedLimit(): string {
    return this.fleet('learned-limit');
  }

  /**
   * Present for a while after a replica found Redis again: sends made alone are not in the log,
   * so a 429 then says nothing of the account's limit.
   */
  get unsettled(): string {
    return this.fleet('unsettled');
  }

  get announcements(): string {
    return `${this.prefix}preloads`;
  }

  preloaded(voiceId: string): string {
    return `${this.prefix}voice:{${voiceId}}:preloaded`;
  }

  lease(voiceId: string): string {
    return `${this.prefix}voice:{${voiceId}}:lease`;
  }

  refresh(voiceId: string): string {
    return `${this.prefix}voice:{${voiceId}}:refresh`;
  }

  private fleet(name: string): string {
    return `${this.prefix}{fleet}:${name}`;
  }
}
