import { type IncomingMessage } from 'node:http';
import { type Readable } from 'node:stream';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { HamsaError } from '../errors/hamsa.error.js';
import { HamsaMalformedAudioError } from '../errors/hamsa-malformed-audio.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { type CallScope } from '../gateway/call-scope.js';
import { errorFromResponse } from '../gateway/error-from-response.js';
import { readErrorText } from '../gateway/read-error-text.js';
import { type HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { AudioGate, type AudioLimits } from './audio-gate.js';
import { type HamsaTtsRequest } from './hamsa-tts.interfaces.js';
import { ttsBody } from './validate-tts-request.js';
import { bareStreamFormat } from './wav.js';

/** How one REST or stream answer is read (internal). */
export interface AudioAnswerOptions extends AudioLimits {
  /** Longest silence from Hamsa, in ms (`requestTimeoutMs`). */
  timeoutMs: number;
  /** Longest a reader may hold a chunk, in ms (`tts.readerIdleTimeoutMs`). */
  readerIdleTimeoutMs: number;
  /** REST: the answer must be a WAV file. */
  requireWav: boolean;
}

/** An answer whose first audio has arrived: that audio, then an iterator of the rest. */
export interface StartedAudio {
  first: IteratorResult<Buffer>;
  /** The rest of the answer; `return()` it when leaving early, to release the socket. */
  rest: AsyncGenerator<Buffer>;
}

/**
 * Sends one TTS request and reads its answer until its first `minAudioMs` of audio (or its end)
 * arrived: one attempt of a REST or stream call, retried as a whole while nothing has reached
 * the caller. Rejects with the answer's typed error, `HamsaEmptyAudioError` for an answer
 * without audio, `HamsaMalformedAudioError` for one too large.
 */
export async function startAudio(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: CallScope,
  options: AudioAnswerOptions,
): Promise<StartedAudio> {
  const { speaker } = request;
  const { timeoutMs, readerIdleTimeoutMs, minAudioMs, maxAudioBytes, requireWav } = options;
  const body = await openAudio(http, path, request, scope, timeoutMs, maxAudioBytes);
  const gate = new AudioGate({
    speaker,
    minAudioMs,
    maxAudioBytes,
    requireWav,
    bareFormat: bareStreamFormat(request.mulaw ?? false),
  });
  const reading = { speaker, timeoutMs, readerIdleTimeoutMs, redact: http.redact };
  const rest = audioChunks(body, scope, gate, reading);
  return { first: await rest.next(), rest };
}

/**
 * Sends one TTS request and resolves with the audio body as a stream once Hamsa answered 2xx
 * with audio; an error answer becomes its typed error. The scope's signal aborts the request,
 * and its idle timer bounds the whole attempt, the wait for a free connection included.
 */
async function openAudio(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: CallScope,
  timeoutMs: number,
  maxAudioBytes: number,
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
    return await audioBody(response, speaker, http.redact, maxAudioBytes);
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
  maxAudioBytes: number,
): Promise<Readable> {
  const status = response.statusCode ?? 0;
  const isJson = /json/i.test(String(response.headers['content-type'] ?? ''));
  if (status >= 200 && status < 300 && !isJson) {
    const length = Number(response.headers['content-length'] ?? 0);
    if (length <= maxAudioBytes) return response;
    response.destroy();
    throw new HamsaMalformedAudioError(
      `Hamsa's answer for speaker ${speaker} announces ${length} bytes, more than ` +
        `tts.maxAudioBytes (${maxAudioBytes}); it was not read`,
      { voiceId: speaker },
    );
  }

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

/** How `audioChunks` reads one body. */
interface ChunkReading {
  speaker: string;
  /** Longest silence from Hamsa, in ms (`requestTimeoutMs`). */
  timeoutMs: number;
  /** Longest a reader may hold a chunk, in ms (`tts.readerIdleTimeoutMs`). */
  readerIdleTimeoutMs: number;
  redact(text: string): string;
}

/**
 * The audio chunks of an open body as they arrive, through `gate` (back-pressured: the socket is
 * read only as fast as the consumer takes chunks). Stopping early, an abort or a failure destroys
 * the body, which releases its socket. A body cut off by Hamsa fails with `HamsaConnectionError`,
 * never a normal end, and so does one shorter than its WAV header declared; a reader that holds a
 * chunk for `readerIdleTimeoutMs` fails the call with `HamsaTimeoutError`.
 */
async function* audioChunks(
  body: Readable,
  scope: CallScope,
  gate: AudioGate,
  reading: ChunkReading,
): AsyncGenerator<Buffer> {
  const { speaker, timeoutMs, readerIdleTimeoutMs, redact } = reading;
  const arm = (what: string) => scope.arm(timeoutMs, () => silence(what, speaker, timeoutMs));
  // While the reader holds a chunk the socket is paused: not Hamsa's silence, the reader's.
  const handOut = () =>
    scope.arm(readerIdleTimeoutMs, () => readerIdle(speaker, readerIdleTimeoutMs));
  // Once the answer started, aborting is ours to do.
  const destroy = () => body.destroy();
  scope.signal.addEventListener('abort', destroy, { once: true });
  try {
    arm('the first audio chunk');
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const audio = gate.take(chunk);
      if (audio !== undefined) {
        handOut();
        yield audio;
      }
      arm('the next audio chunk');
    }
    const start = gate.end();
    if (start !== undefined) {
      handOut();
      yield start;
    }
  } catch (error) {
    if (scope.signal.aborted) throw scope.signal.reason;
    if (error instanceof HamsaError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HamsaConnectionError(
      redact(
        `Hamsa's audio for speaker ${speaker} broke off after ${gate.receivedBytes} bytes: ${reason}`,
      ),
      { voiceId: speaker, code: (error as { code?: string }).code },
    );
  } finally {
    scope.disarm();
    scope.signal.removeEventListener('abort', destroy);
    body.destroy();
  }
}
