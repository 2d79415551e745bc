import { HamsaError } from './hamsa.error.js';

/**
 * Hamsa's audio stream started with a RIFF header that cannot be read (a chunk too large, no
 * `data` chunk within 64 KB, an unsupported format). Not retried: the same request gets the same
 * header.
 */
export class HamsaMalformedAudioError extends HamsaError {}
