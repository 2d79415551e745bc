import { applyDecorators } from '@nestjs/common';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { IsPlainOrigin } from './base-url.rule.js';
import { hasMethods } from './validate-schema.js';
import { IsVoiceIdList } from './voice-id-list.js';

/** Largest delay Node timers accept; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Like `@IsOptional()`, but only `undefined` counts as absent: `null` is validated (and fails). */
export const IsOptionalUnlessNull = () => ValidateIf((_object, value) => value !== undefined);

/**
 * An optional integer option within `[min, max]`, one message for every way it can be wrong.
 * `name` replaces `$property` for a nested option such as `tts.maxSockets`.
 */
const OptionalInteger = (min: number, max: number, unit = '', name = '$property') => {
  const message = `${name} must be an integer from ${min} to ${max}${unit}`;
  return applyDecorators(
    IsOptionalUnlessNull(),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
};

/** An object with every method of `HamsaCoordinator`. */
const IsCoordinator = (options: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCoordinator',
      validator: {
        validate: (value: unknown) => hasMethods(value, COORDINATOR_METHODS),
      },
    },
    options,
  );
const COORDINATOR_METHODS = ['takeToken', 'claimPreload', 'claimRefresh', 'close'];

const OptionalBoolean = () =>
  applyDecorators(
    IsOptionalUnlessNull(),
    IsBoolean({ message: '$property must be true or false' }),
  );

/** class-validator rules of `HamsaVoiceModuleOptions`; each message names the option and the fix. */
export class HamsaVoiceOptionsSchema {
  @IsString({ message: 'apiKey must be a string: your Hamsa API key' })
  @IsNotEmpty({ message: 'apiKey must not be empty: pass your Hamsa API key' })
  // It travels in an HTTP header: a space or a trailing newline (from a secrets file) would be
  // rejected by Node at every request, or by Hamsa with 401 — say so at startup instead.
  @Matches(/^[\x21-\x7e]*$/, {
    message:
      'apiKey must hold visible ASCII characters only: no spaces, line breaks or other ' +
      'invisible characters (check for a trailing newline in the secret)',
  })
  apiKey!: string;

  @IsVoiceIdList()
  voiceIds!: string[] | string;

  @IsOptionalUnlessNull()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'baseUrl must be an http(s) URL such as https://api.tryhamsa.com' },
  )
  @IsPlainOrigin()
  baseUrl?: string;

  @OptionalInteger(1, 64)
  concurrency?: number;

  @OptionalInteger(1, MAX_TIMER_MS, ' (ms)')
  requestTimeoutMs?: number;

  @OptionalInteger(0, 100)
  retries?: number;

  @OptionalInteger(0, MAX_TIMER_MS, ' (ms)')
  retryDelayMs?: number;

  @OptionalInteger(0, MAX_TIMER_MS, ' (ms)')
  maxRetryDelayMs?: number;

  @OptionalInteger(1, MAX_TIMER_MS, ' (ms)')
  deadlineMs?: number;

  @OptionalInteger(0, MAX_TIMER_MS, ' (ms)')
  startupJitterMs?: number;

  @OptionalBoolean()
  waitForReady?: boolean;

  @OptionalBoolean()
  failOnError?: boolean;

  @OptionalInteger(0, MAX_TIMER_MS, ' (ms; 0 turns refreshing off)')
  refreshIntervalMs?: number;

  @OptionalInteger(0, MAX_TIMER_MS, ' (ms; 0 turns recovery off)')
  recoveryDelayMs?: number;

  @OptionalInteger(0, MAX_TIMER_MS, ' (ms; 0 ends TTS calls at once at shutdown)')
  shutdownGraceMs?: number;

  @IsOptionalUnlessNull()
  @IsObject({ message: 'tts must be an object such as { maxSockets: 64, warmSessions: 0 }' })
  tts?: object;

  @IsOptionalUnlessNull()
  @ValidateIf((_object, value) => typeof value !== 'boolean')
  @IsObject({
    message:
      'onDemandPreload must be true, false or an object such as { maxVoices: 1000, failedVoiceTtlMs: 60000 }',
  })
  onDemandPreload?: boolean | object;

  @IsOptionalUnlessNull()
  @IsCoordinator({
    message:
      'coordinator must be a HamsaCoordinator, such as new RedisHamsaCoordinator(redis) from ' +
      'nestjs-hamsa/redis (an object with takeToken, claimPreload, claimRefresh and close)',
  })
  coordinator?: object;

  @OptionalBoolean()
  isGlobal?: boolean;
}

/** Rules of the `tts` option. */
export class HamsaTtsOptionsSchema {
  @OptionalInteger(1, 1024, '', 'tts.maxSockets')
  maxSockets?: number;

  @OptionalInteger(0, 16, '', 'tts.warmSessions')
  warmSessions?: number;

  @IsOptionalUnlessNull()
  @IsIn(['header', 'query'], {
    message:
      "tts.webSocketAuth must be 'header' (the key in X-Api-Key, default) or 'query' (in ?api_key=)",
  })
  webSocketAuth?: string;
  @OptionalInteger(1, MAX_TIMER_MS, ' (ms)', 'tts.readerIdleTimeoutMs')
  readerIdleTimeoutMs?: number;
  @OptionalInteger(1, 256, '', 'tts.maxSessions')
  maxSessions?: number;

  @OptionalInteger(0, 1000, ' (ms; 0 turns the check off)', 'tts.minAudioMs')
  minAudioMs?: number;

  @OptionalInteger(1024, 2 ** 30, ' (bytes)', 'tts.maxAudioBytes')
  maxAudioBytes?: number;
}

/** Rules of the object form of the `onDemandPreload` option. */
export class OnDemandPreloadOptionsSchema {
  @OptionalInteger(1, 1_000_000, '', 'onDemandPreload.maxVoices')
  maxVoices?: number;

  @OptionalInteger(0, MAX_TIMER_MS, ' (ms)', 'onDemandPreload.failedVoiceTtlMs')
  failedVoiceTtlMs?: number;

  @OptionalInteger(1, 1_000_000, '', 'onDemandPreload.maxPreloadsPerMinute')
  maxPreloadsPerMinute?: number;
}
