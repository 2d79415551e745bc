import { HamsaTtsRequestError } from '../../errors/hamsa-tts.error.js';
import { validateTtsRequest } from '../validate-tts-request.js';
import { type HamsaSpeakTextOptions } from './hamsa-speech.interfaces.js';

/** Most segments synthesized ahead of the one being played. */
export const MAX_LOOKAHEAD = 8;
const TRANSPORTS = ['websocket', 'stream'];

/** `speakText()`'s options with their defaults. */
export type ResolvedSpeakTextOptions = HamsaSpeakTextOptions &
  Required<Pick<HamsaSpeakTextOptions, 'lookahead' | 'transport' | 'wav' | 'mulaw'>>;

/**
 * Checks `speakText()`'s text and options before any I/O, and fills in the defaults.
 *
 * @throws HamsaTtsRequestError listing every broken rule.
 */
export function validateSpeakText(text: unknown, options: unknown): ResolvedSpeakTextOptions {
  const isText =
    typeof text === 'string' ||
    (typeof text === 'object' && text !== null && Symbol.asyncIterator in text);
  if (typeof options !== 'object' || options === null) {
    throw new HamsaTtsRequestError(['options must be an object such as { speaker }']);
  }
  const {
    lookahead = 2,
    transport = 'websocket',
    wav = false,
    mulaw = false,
    ...request
  } = options as HamsaSpeakTextOptions;
  const problems: string[] = [];
  if (!isText) problems.push('text must be a string or an AsyncIterable<string>');
  if (!Number.isInteger(lookahead) || lookahead < 0 || lookahead > MAX_LOOKAHEAD) {
    problems.push(
      `lookahead must be an integer from 0 to ${MAX_LOOKAHEAD}, got ${String(lookahead)}`,
    );
  }
  if (!TRANSPORTS.includes(transport)) {
    problems.push(`transport must be 'websocket' or 'stream', got ${JSON.stringify(transport)}`);
  }
  if (typeof wav !== 'boolean') problems.push('wav must be a boolean');
  try {
    // The rules of one request, checked on a stand-in text (the segments come later).
    validateTtsRequest({ ...request, mulaw, text: '-' }, transport !== 'stream');
  } catch (error) {
    problems.push(...(error as HamsaTtsRequestError).problems);
  }
  if (problems.length > 0) throw new HamsaTtsRequestError(problems);
  return { ...(options as HamsaSpeakTextOptions), lookahead, transport, wav, mulaw };
}
