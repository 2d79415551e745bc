import { once } from 'node:events';
import { type ServerResponse } from 'node:http';
import { HamsaTtsRequestError } from '../../errors/hamsa-tts.error.js';
import { VoiceNotReadyError } from '../../errors/voice-readiness.error.js';

/** A Fastify reply (`@nestjs/platform-fastify`): its Node response, which it lets go of. */
export interface FastifyReplyLike {
  raw: ServerResponse;
  hijack(): unknown;
}

/** Options of `sendTtsAudio()`. */
export interface SendTtsAudioOptions {
  /** `Content-Type` of the response. Default `'audio/wav'`. */
  contentType?: string;
}

/** How `sendTtsAudio()` ended. */
export interface SendTtsAudioResult {
  /**
   * `completed`: all audio sent; `client-gone`: the client disconnected and the Hamsa call was
   * stopped; `failed`: the call failed (answered 400/502/503 before any audio, or the response
   * cut short after some).
   */
  outcome: 'completed' | 'client-gone' | 'failed';
  /** Bytes of audio written to the response. */
  bytes: number;
  /** Why it failed. */
  error?: unknown;
}

/** Why the Hamsa call was stopped when the HTTP client went away. */
const CLIENT_GONE = new Error('The HTTP client disconnected');

/**
 * Sends TTS audio — `stream()`, `streamWav()` or `speakText()` — to an HTTP response as it is
 * produced, on Express (`@Res() res`) or Fastify (`@Res() reply`, hijacked here). `audio` gets
 * a signal that aborts within milliseconds of the client disconnecting, which stops the Hamsa
 * call: pass it on as the call's `signal`. Backpressure: the next chunk is taken from Hamsa only
 * once the client has taken the previous one, so a slow client makes the module hold no more
 * than the call's own bound (one chunk; `lookahead` segments for `speakText()`).
 *
 * A failure before any audio is answered with a JSON error (400 for an invalid request, 503 for
 * a voice not ready, 502 otherwise); after some audio, the response is cut short.
 *
 * @example
 * @Get('say')
 * say(@Query('text') text: string, @Res() res: Response) {
 *   return sendTtsAudio(res, (signal) =>
 *     this.tts.speakText(text, { speaker: 'Amjad', wav: true, signal }),
 *   );
 * }
 */
export async function sendTtsAudio(
  response: ServerResponse | FastifyReplyLike,
  audio: (signal: AbortSignal) => AsyncIterable<Buffer>,
  options: SendTtsAudioOptions = {},
): Promise<SendTtsAudioResult> {
  const raw = 'raw' in response ? hijacked(response) : response;
  const controller = new AbortController();
  const onClose = () => {
    if (!raw.writableFinished) controller.abort(CLIENT_GONE);
  };
  raw.once('close', onClose);
  if (raw.destroyed) onClose();
  const headers = { 'content-type': options.contentType ?? 'audio/wav' };
  const begin = () => raw.headersSent || raw.writeHead(200, headers);
  let bytes = 0;
  try {
    for await (const chunk of audio(controller.signal)) {
      begin();
      bytes += chunk.length;
      if (!raw.write(chunk)) await drained(raw, controller.signal);
    }
    begin();
    raw.end();
    return { outcome: 'completed', bytes };
  } catch (error) {
    if (controller.signal.aborted) return { outcome: 'client-gone', bytes };
    if (raw.headersSent) raw.destroy();
    else answerError(raw, error);
    return { outcome: 'failed', bytes, error };
  } finally {
    raw.off('close', onClose);
  }
}

function hijacked(reply: FastifyReplyLike): ServerResponse {
  reply.hijack();
  return reply.raw;
}

/** Resolves once the client took what was written, or rejects as soon as it is gone. */
async function drained(raw: ServerResponse, signal: AbortSignal): Promise<void> {
  await once(raw, 'drain', { signal });
}

function answerError(raw: ServerResponse, error: unknown): void {
  const statusCode =
    error instanceof HamsaTtsRequestError ? 400 : error instanceof VoiceNotReadyError ? 503 : 502;
  const body = JSON.stringify({
    statusCode,
    error: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  });
  raw.writeHead(statusCode, { 'content-type': 'application/json' }).end(body);
}
