import { HamsaError } from './hamsa.error.js';

/**
 * `preload()` was given a voice ID that is not a UUID. Only cloned voices, whose IDs are UUIDs,
 * are preloaded; built-in speakers such as "Amjad" need no preload. Nothing was sent.
 */
export class InvalidVoiceIdError extends HamsaError {
  declare readonly voiceId: string;

  constructor(voiceId: string) {
    super(
      `Voice ID ${JSON.stringify(voiceId)} is not a UUID: only cloned voices, whose IDs are UUIDs, ` +
        'are preloaded; built-in speakers such as "Amjad" need no preload',
      { voiceId },
    );
  }
}
