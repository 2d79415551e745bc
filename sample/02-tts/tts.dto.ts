import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsIn, IsOptional, IsString, Matches, ValidateBy } from 'class-validator';
import { HAMSA_TTS_DIALECTS, type HamsaTtsDialect, MAX_TTS_TEXT_LENGTH } from 'nestjs-hamsa';

/** At least one character that is not whitespace. */
const NOT_BLANK = /\S/;

/**
 * At most `max` UTF-16 code units, as Hamsa and `HamsaTtsService` count them (class-validator's
 * `MaxLength` counts an emoji once, where they count it twice).
 */
function HasAtMostCodeUnits(max: number, message: string): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasAtMostCodeUnits',
      validator: { validate: (value: unknown) => typeof value === 'string' && value.length <= max },
    },
    { message },
  );
}

/**
 * `text`'s rules, checked in this order (the app's `ValidationPipe` stops at the first broken
 * one): present, a string, not only whitespace, at most 2000 characters.
 */
function IsSpeakableText(whenMissing: string): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: whenMissing }),
    IsString({ message: 'text must be a string' }),
    Matches(NOT_BLANK, { message: 'text must not be blank' }),
    HasAtMostCodeUnits(
      MAX_TTS_TEXT_LENGTH,
      `text must be at most ${MAX_TTS_TEXT_LENGTH} characters`,
    ),
  );
}

/** `speaker`'s rules: optional; when given, a string that is not only whitespace. */
function IsOptionalSpeaker(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsString({ message: 'speaker must be a string: a speaker name or a cloned-voice UUID' }),
    Matches(NOT_BLANK, { message: 'speaker must not be blank' }),
  );
}

/**
 * What `POST /tts` takes, as JSON; `speaker` defaults to the first configured voice. Checked by
 * the app's `ValidationPipe` before the controller runs: a broken rule answers 400 naming it.
 */
export class SpeakBody {
  /** The text to speak, 1–2000 characters, not only whitespace. */
  @IsSpeakableText(
    'text is required: send JSON such as {"text": "مرحبا بك"} with Content-Type: application/json',
  )
  text!: string;

  /** A built-in speaker name or a cloned-voice UUID. */
  @IsOptionalSpeaker()
  speaker?: string;

  /** A dialect code of `HAMSA_TTS_DIALECTS`; omitted, Hamsa chooses. */
  @IsOptional()
  @IsIn(HAMSA_TTS_DIALECTS, { message: `dialect must be one of ${HAMSA_TTS_DIALECTS.join(', ')}` })
  dialect?: HamsaTtsDialect;
}

/** The query of `GET /tts/stream?text=…[&speaker=…]`: each once, with `POST /tts`'s rules. */
export class StreamQuery {
  /** The text to speak, 1–2000 characters, not only whitespace. */
  @IsSpeakableText('text is required: GET /tts/stream?text=…')
  text!: string;

  /** A built-in speaker name or a cloned-voice UUID. */
  @IsOptionalSpeaker()
  speaker?: string;
}
