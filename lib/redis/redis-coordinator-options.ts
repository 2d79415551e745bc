import { HamsaOptionsError } from '../errors/hamsa-options.error.js';

/** Options of `RedisHamsaCoordinator`. */
export interface RedisHamsaCoordinatorOptions {
  /**
   * Prefix of every key and channel it uses. Replicas with the same Redis and prefix form one
   * fleet; give each application (or each Hamsa account) its own. Default `'hamsa:'`.
   */
  keyPrefix?: string;
  /**
   * Requests per second to Hamsa's preload endpoint for the whole fleet (boot preloads, runtime
   * `preload()`, keep-warm, recovery): set it to the account's limit. Default: no shared limit.
   */
  rateLimitPerSecond?: number;
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

const DEFAULTS = { keyPrefix: 'hamsa:', sharePreloadsForMs: 0, commandTimeoutMs: 1000 };

/** Redis keeps a key's time to live in ms up to far more; 30 days is plenty for a preload. */
const MAX_SHARE_MS = 30 * 24 * 3600_000;

type Rule = (value: unknown) => string | undefined;

const RULES: Record<keyof RedisHamsaCoordinatorOptions, Rule> = {
  keyPrefix: (value) =>
    typeof value === 'string' && /^[\x21-\x7e]{1,100}$/.test(value)
      ? undefined
      : 'keyPrefix must be 1 to 100 visible ASCII characters, such as "hamsa:" or "my-app:hamsa:"',
  rateLimitPerSecond: (value) =>
    typeof value === 'number' && value > 0 && value <= 10_000
      ? undefined
      : 'rateLimitPerSecond must be a number above 0 and at most 10000: your Hamsa account limit',
  sharePreloadsForMs: (value) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_SHARE_MS
      ? undefined
      : `sharePreloadsForMs must be an integer from 0 (off) to ${MAX_SHARE_MS} (ms)`,
  commandTimeoutMs: (value) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 60_000
      ? undefined
      : 'commandTimeoutMs must be an integer from 1 to 60000 (ms)',
};

/** What the coordinator calls on the client; any ioredis 5 or 6 client has them. */
const CLIENT_METHODS = ['eval', 'set', 'duplicate'];

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
  const isClient =
    typeof redis === 'object' &&
    redis !== null &&
    CLIENT_METHODS.every(
      (method) => typeof (redis as Record<string, unknown>)[method] === 'function',
    );
  if (!isClient)
    problems.push('redis must be an ioredis client, such as new Redis(process.env.REDIS_URL)');
  if (
    options !== undefined &&
    (typeof options !== 'object' || options === null || Array.isArray(options))
  ) {
    throw new HamsaOptionsError(
      [...problems, 'options must be an object such as { rateLimitPerSecond: 20 }'],
      'RedisHamsaCoordinator',
    );
  }
  const given = (options ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    const rule = RULES[key as keyof RedisHamsaCoordinatorOptions];
    if (!rule)
      problems.push(
        `${key} is not an option of RedisHamsaCoordinator: remove it or check its spelling`,
      );
    else if (value !== undefined) {
      const problem = rule(value);
      if (problem) problems.push(problem);
    }
  }
  if (problems.length > 0) throw new HamsaOptionsError(problems, 'RedisHamsaCoordinator');
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  );
  return { ...DEFAULTS, ...defined };
}
