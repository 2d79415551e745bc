/** Logger context of every line the module writes. */
export const HAMSA_VOICE_LOGGER_CONTEXT = 'HamsaVoice';

/** Injection token of the validated options, defaults applied (internal). */
export const HAMSA_VOICE_RESOLVED_OPTIONS = Symbol('HAMSA_VOICE_RESOLVED_OPTIONS');
