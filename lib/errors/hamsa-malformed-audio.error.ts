import { HamsaError } from './hamsa.error.js';

/**
 * Hamsa's audio cannot be used: it starts with a RIFF header that cannot be read (a chunk too
 * large, no `data` chunk within 64 KB, an unsupported format), or the answer is larger than
 * `tts.maxAudioBytes`. Not retried: the same request gets the same answer.
 */
export class HamsaMalformedAudioError extends HamsaError {}
