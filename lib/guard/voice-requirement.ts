/** Options of `@RequireVoices(options, ...voiceIds)`. */
export interface RequireVoicesOptions {
  /**
   * How long a call may wait for voices that are still pending or loading before it is
   * rejected, in ms. Default `0`: reject at once. Failed and unknown voices are never waited for.
   */
  waitMs?: number;
  /** Seconds in the `Retry-After` header of the 503 answer. Default `5`. */
  retryAfterSeconds?: number;
}

/** What `@RequireVoices()` records on a class or handler (internal). */
export interface VoiceRequirement {
  /** Required voices; empty means every voice the module knows. */
  voiceIds: string[];
  waitMs?: number;
  retryAfterSeconds?: number;
}

/** Metadata key under which `@RequireVoices()` records its `VoiceRequirement` (internal). */
export const REQUIRED_VOICES_METADATA = 'hamsa:required-voices';

/** `Retry-After` of a 503 when `@RequireVoices()` does not set `retryAfterSeconds`. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * The requirement of a handler and its class together: the voices add up (an empty list, every
 * voice, wins); the handler's `waitMs` and `retryAfterSeconds` override the class's.
 */
export function mergeRequirements(
  handler: VoiceRequirement | undefined,
  owner: VoiceRequirement | undefined,
): VoiceRequirement | undefined {
  if (!handler || !owner) return handler ?? owner;
  const everyVoice = handler.voiceIds.length === 0 || owner.voiceIds.length === 0;
  return {
    waitMs: handler.waitMs ?? owner.waitMs,
    retryAfterSeconds: handler.retryAfterSeconds ?? owner.retryAfterSeconds,
    voiceIds: everyVoice ? [] : [...new Set([...owner.voiceIds, ...handler.voiceIds])],
  };
}
