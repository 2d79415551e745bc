import { type IncomingMessage } from 'node:http';
import { type Readable } from 'node:stream';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { type CallScope } from '../gateway/call-scope.js';
import { errorFromResponse } from '../gateway/error-from-response.js';
import { readErrorText } from '../gateway/read-error-text.js';
import { type HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { type HamsaTtsRequest } from './hamsa-tts.interfaces.js';
import { ttsBody } from './validate-tts-request.js';

/**
 * Sends one TTS request and resolves with the audio body as a stream once Hamsa answered 2xx
 * with audio; an error answer becomes its typed error. The scope's signal aborts the request,
 * and its idle timer bounds the whole attempt, the wait for a free connection included.
 */
export async function openAudio(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: CallScope,
  timeoutMs: number,
): Promise<Readable> {
  const { speaker } = request;
  // One budget: a request queued behind `tts.maxSockets` busy ones has its wait counted too.
  let waitingFor: 'connection' | 'answer' = 'connection';
  scope.arm(timeoutMs, () =>
    waitingFor === 'connection'
      ? noConnection(speaker, timeoutMs)
      : silence("Hamsa's answer", speaker, timeoutMs),
  );
  try {
    const response = await http.openStream(path, ttsBody(request), {
      voiceId: speaker,
      accept: 'audio/wav',
      signal: scope.signal,
      onSocket: () => (waitingFor = 'answer'),
    });
    return await audioBody(response, speaker, http.redact);
  } finally {
    // A retry's backoff is no silence of Hamsa's: the next attempt arms the timer again.
    scope.disarm();
  }
}

/** The body of a 2xx audio answer, or the typed error of any other answer. */
async function audioBody(
  response: IncomingMessage,
  speaker: string,
  redact: (text: string) => string,
): Promise<Readable> {
  const status = response.statusCode ?? 0;
  const isJson = /json/i.test(String(response.headers['content-type'] ?? ''));
  if (status >= 200 && status < 300 && !isJson) return response;

  const answer = { status, headers: response.headers, data: await readErrorText(response) };
  throw (
    errorFromResponse(answer, speaker, redact) ??
    new HamsaApiError({
      status,
      voiceId: speaker,
      message: `Hamsa answered ${status} with JSON instead of audio (speaker ${speaker})`,
    })
  );
}

/** Hamsa sent nothing for `timeoutMs` while the call waited for `what`. */
function silence(what: string, speaker: string, timeoutMs: number): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `Hamsa sent nothing for ${timeoutMs} ms (requestTimeoutMs) while waiting for ${what} (speaker ${speaker})`,
    { voiceId: speaker, timeoutMs },
  );
}

/** Every `tts.maxSockets` connection stayed busy for `timeoutMs`: the request was never sent. */
function noConnection(speaker: string, timeoutMs: number): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `The TTS request for speaker ${speaker} timed out after ${timeoutMs} ms (requestTimeoutMs) ` +
      'waiting for a free connection (tts.maxSockets): it was not sent',
    { voiceId: speaker, timeoutMs },
  );
}

/** The reader held a chunk for `timeoutMs` without asking for the next. */
function readerIdle(speaker: string, timeoutMs: number): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `The reader of the TTS audio for speaker ${speaker} took no chunk for ${timeoutMs} ms ` +
      '(tts.readerIdleTimeoutMs): the call was ended to free its connection',
    { voiceId: speaker, timeoutMs },
  );
}

/**
 * The audio chunks of an open body as they arrive (back-pressured: the socket is read only as
 * fast as the consumer takes chunks). Stopping early, an abort or a failure destroys the body,
 * which releases its socket. A body cut off by Hamsa fails with `HamsaConnectionError`; a
 * reader that holds a chunk for `readerIdleTimeoutMs` fails the call with `HamsaTimeoutError`.
 */
export async function* audioChunks(
  body: Readable,
  scope: CallScope,
  timeoutMs: number,
  redact: (text: string) => string,
  speaker: string,
  readerIdleTimeoutMs: number,
): AsyncGenerator<Buffer> {
  const arm = (what: string) => scope.arm(timeoutMs, () => silence(what, speaker, timeoutMs));
  // Once the answer started, aborting is ours to do.
  const destroy = () => body.destroy();
  scope.signal.addEventListener('abort', destroy, { once: true });
  let received = 0;
  try {
    arm('the first audio chunk');
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      // While the reader holds the chunk the socket is paused: not Hamsa's silence, the reader's.
      scope.arm(readerIdleTimeoutMs, () => readerIdle(speaker, readerIdleTimeoutMs));
      yield chunk;
      arm('the next audio chunk');
    }
  } catch (error) {
    if (scope.signal.aborted) throw scope.signal.reason;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HamsaConnectionError(
      redact(`Hamsa's audio for speaker ${speaker} broke off after ${received} bytes: ${reason}`),
      { voiceId: speaker, code: (error as { code?: string }).code },
    );
  } finally {
    scope.disarm();
    scope.signal.removeEventListener('abort', destroy);
    body.destroy();
  }
}
