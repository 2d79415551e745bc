import { IsBoolean, IsInt, IsNumber, IsPositive, Matches, Max, Min } from 'class-validator';
import { HamsaOptionsError } from '../errors/hamsa-options.error.js';
import { IsOptionalUnlessNull } from '../options/hamsa-voice-options.schema.js';
import { hasMethods, validateSchema } from '../options/validate-schema.js';

/** Options of `RedisHamsaCoordinator`. */
export interface RedisHamsaCoordinatorOptions {
  /**
   * Prefix of every key and channel it uses. Replicas with the same Redis and prefix form one
   * fleet; give each application (or each Hamsa account) its own. Default `'hamsa:'`. No braces:
   * on a Redis Cluster the keys' own hash tags (`{fleet}`, `{voiceId}`) keep each script's keys in
   * one slot.
   */
  keyPrefix?: string;
  /**
   * Requests per second to Hamsa's preload endpoint for the whole fleet (boot preloads, runtime
   * `preload()`, keep-warm, recovery): set it to the account's limit. Default: no shared limit.
   * While Redis is unavailable each replica sends at most `rateLimitPerSecond / fleetSize` a
   * second, `fleetSize` being the replicas seen alive through Redis in the last minute.
   */
  rateLimitPerSecond?: number;
  /**
   * The `fleetSize` that divides `rateLimitPerSecond` while Redis was never reachable (from
   * startup on): set it to the number of replicas you run. Default `1`.
   */
  expectedReplicas?: number;
  /**
   * A 429 from Hamsa that any replica meets pauses every replica's preload requests until its
   * `Retry-After` (else 1 s) has passed, logged once; with `rateLimitPerSecond`, the fleet also
   * sends no more than Hamsa took in the second before it (at most halving its limit per 429)
   * for the next 30 s. Default `true`.
   */
  shareCooldowns?: boolean;
  /**
   * A voice that any replica preloaded within this many ms counts as preloaded for all: one
   * replica sends the request, the others wait for its outcome. Default `0`: off (each replica
   * preloads every voice itself). Turn it on only if Hamsa keeps a voice loaded for the account,
   * as its docs say ("only once"), not per connection.
   */
  sharePreloadsForMs?: number;
  /**
   * Longest wait for one Redis command, in ms; past it (or when Redis is unreachable) the replica
   * acts alone until Redis answers again. Default `1000`.
   */
  commandTimeoutMs?: number;
}

export type ResolvedRedisCoordinatorOptions = Required<
  Omit<RedisHamsaCoordinatorOptions, 'rateLimitPerSecond'>
> &
  Pick<RedisHamsaCoordinatorOptions, 'rateLimitPerSecond'>;

const DEFAULTS = {
  keyPrefix: 'hamsa:',
  sharePreloadsForMs: 0,
  commandTimeoutMs: 1000,
  expectedReplicas: 1,
  shareCooldowns: true,
};

/** Redis keeps a key's time to live in ms up to far more; 30 days is plenty for a preload. */
const MAX_SHARE_MS = 30 * 24 * 3600_000;

const KEY_PREFIX_RULE =
  'keyPrefix must be 1 to 100 visible ASCII characters without braces (Redis Cluster hash tags ' +
  'are the coordinator\'s own), such as "hamsa:" or "my-app:hamsa:"';
const RATE_RULE =
  'rateLimitPerSecond must be a number above 0 and at most 10000: your Hamsa account limit';
const SHARE_RULE = `sharePreloadsForMs must be an integer from 0 (off) to ${MAX_SHARE_MS} (ms)`;
const TIMEOUT_RULE = 'commandTimeoutMs must be an integer from 1 to 60000 (ms)';
const REPLICAS_RULE =
  'expectedReplicas must be an integer from 1 to 10000: the number of replicas you run';
const COOLDOWNS_RULE = 'shareCooldowns must be true or false';

/** class-validator rules of `RedisHamsaCoordinatorOptions`, each message naming the option. */
class RedisCoordinatorOptionsSchema {
  @IsOptionalUnlessNull()
  // Visible ASCII but `{` (0x7b) and `}` (0x7d).
  @Matches(/^[\x21-\x7a|~]{1,100}$/, { message: KEY_PREFIX_RULE })
  keyPrefix?: string;

  @IsOptionalUnlessNull()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: RATE_RULE })
  @IsPositive({ message: RATE_RULE })
  @Max(10_000, { message: RATE_RULE })
  rateLimitPerSecond?: number;

  @IsOptionalUnlessNull()
  @IsInt({ message: SHARE_RULE })
  @Min(0, { message: SHARE_RULE })
  @Max(MAX_SHARE_MS, { message: SHARE_RULE })
  sharePreloadsForMs?: number;

  @IsOptionalUnlessNull()
  @IsInt({ message: REPLICAS_RULE })
  @Min(1, { message: REPLICAS_RULE })
  @Max(10_000, { message: REPLICAS_RULE })
  expectedReplicas?: number;

  @IsOptionalUnlessNull()
  @IsBoolean({ message: COOLDOWNS_RULE })
  shareCooldowns?: boolean;

  @IsOptionalUnlessNull()
  @IsInt({ message: TIMEOUT_RULE })
  @Min(1, { message: TIMEOUT_RULE })
  @Max(60_000, { message: TIMEOUT_RULE })
  commandTimeoutMs?: number;
}

/** What the coordinator calls on the client; any ioredis 5 or 6 client has them. */
const CLIENT_METHODS = ['eval', 'set', 'duplicate'];
const OWNER = 'RedisHamsaCoordinator';

/**
 * Validates the client and options of a `RedisHamsaCoordinator` and fills in defaults.
 *
 * @throws HamsaOptionsError listing every problem.
 */
export function resolveRedisCoordinatorOptions(
  redis: unknown,
  options: unknown,
): ResolvedRedisCoordinatorOptions {
  const problems: string[] = [];
  if (!hasMethods(redis, CLIENT_METHODS)) {
    problems.push(
      'redis must be an ioredis client, such as new Redis(process.env.REDIS_URL) or new Cluster(nodes)',
    );
  }
  if (
    options !== undefined &&
    (typeof options !== 'object' || options === null || Array.isArray(options))
  ) {
    throw new HamsaOptionsError(
      [...problems, 'options must be an object such as { rateLimitPerSecond: 20 }'],
      OWNER,
    );
  }
  const given = validateSchema(RedisCoordinatorOptionsSchema, options ?? {}, '', OWNER);
  problems.push(...given.problems);
  if (problems.length > 0) throw new HamsaOptionsError([...new Set(problems)], OWNER);
  return { ...DEFAULTS, ...given.values };
}
