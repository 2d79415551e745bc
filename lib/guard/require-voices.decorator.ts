import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { canonicalVoiceId, isUuid } from '../voice/voice-id.js';
import { speakerKind } from '../voice/speaker-kind.js';
import { voiceIdProblem } from '../voice/voice-id-problem.js';
import { VoiceReadinessGuard } from './voice-readiness.guard.js';
import {
  REQUIRED_VOICES_METADATA,
  type RequireVoicesOptions,
  type VoiceRequirement,
} from './voice-requirement.js';

/** Largest delay Node timers accept. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Lets a controller, a route, a WebSocket gateway or a message handler run only once its Hamsa
 * voices are ready; otherwise `VoiceReadinessGuard` (applied by this decorator) rejects the call:
 * HTTP 503 with `Retry-After`, or a `WsException` on a gateway. Without voice IDs it requires
 * every voice the module knows. On a class and a handler both, the voices add up. UUIDs are
 * case-insensitive, as everywhere in the module; a built-in speaker's name ("Amjad") needs no
 * preload, so it is always ready.
 *
 * @example
 * ```ts
 * @RequireVoices('48f7656f-098b-4c43-b165-7cfd2cc8ac30')
 * @Controller('speech')
 * export class SpeechController {}
 *
 * @RequireVoices({ waitMs: 2_000 }) // every configured voice, waiting up to 2 s for them
 * @SubscribeMessage('speak')
 * speak() {}
 * ```
 *
 * @throws TypeError at decoration time for a malformed UUID, a blank or non-string voice, or an
 * invalid option.
 */
export function RequireVoices(...voiceIds: string[]): ClassDecorator & MethodDecorator;
export function RequireVoices(
  options: RequireVoicesOptions,
  ...voiceIds: string[]
): ClassDecorator & MethodDecorator;
export function RequireVoices(
  ...args: (RequireVoicesOptions | string)[]
): ClassDecorator & MethodDecorator {
  const [first, ...rest] = args;
  const options = typeof first === 'object' && first !== null ? first : {};
  const voiceIds: unknown[] = first === options ? rest : args;
  const requirement: VoiceRequirement = { voiceIds: [...new Set(check(voiceIds))] };
  if (options.waitMs !== undefined) {
    requirement.waitMs = integer('waitMs', options.waitMs, MAX_TIMER_MS);
  }
  if (options.retryAfterSeconds !== undefined) {
    requirement.retryAfterSeconds = integer('retryAfterSeconds', options.retryAfterSeconds, 86_400);
  }
  return applyDecorators(
    SetMetadata(REQUIRED_VOICES_METADATA, requirement),
    UseGuards(VoiceReadinessGuard),
  );
}

/**
 * The voice IDs in canonical form (UUIDs in lower case; a built-in speaker's name, always ready,
 * as given), or a TypeError naming a bad one.
 */
function check(voiceIds: unknown[]): string[] {
  return voiceIds.map((voiceId) => {
    if (isUuid(voiceId)) return canonicalVoiceId(voiceId);
    const quoted = JSON.stringify(voiceId);
    if (typeof voiceId !== 'string' || voiceId.trim() === '') {
      throw new TypeError(
        `@RequireVoices: ${quoted} is not a voice: pass cloned-voice UUIDs or speaker names`,
      );
    }
    if (speakerKind(voiceId) === 'malformed-uuid') {
      throw new TypeError(
        `@RequireVoices: ${quoted} is not a cloned-voice UUID: it ${voiceIdProblem(voiceId)}`,
      );
    }
    return voiceId;
  });
}

function integer(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(`@RequireVoices: ${name} must be an integer from 0 to ${max}`);
  }
  return value;
}
