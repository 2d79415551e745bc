import type { Context, Span } from '@opentelemetry/api';
import { type Instruments } from './instruments.js';
import {
  type PreloadRecording,
  type SpanScope,
  type TtsRecording,
} from './recording.interfaces.js';

/** `error.type` of a failure: its class name, never its message. */
export function errorType(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** Runs work as is: there is no span to run it in. */
const outsideAnySpan = <T>(work: () => T): T => work();

/** What is recorded when the API is not installed. */
export const NO_PRELOAD_RECORDING: PreloadRecording = {
  within: outsideAnySpan,
  retrying: () => undefined,
  settled: () => undefined,
  abandoned: () => undefined,
};

export const NO_TTS_RECORDING: TtsRecording = {
  within: outsideAnySpan,
  firstAudio: () => undefined,
  ended: () => undefined,
};

/** Starts the `hamsa.voice.preload` span of `voiceId`; `metricVoiceId` labels its duration. */
export function recordPreload(
  instruments: Instruments,
  voiceId: string,
  metricVoiceId: string,
): PreloadRecording {
  const { api, tracer, preloadDuration } = instruments;
  const startedAt = performance.now();
  const span = tracer.startSpan('hamsa.voice.preload', {
    kind: api.SpanKind.CLIENT,
    attributes: { 'hamsa.voice.id': voiceId },
  });
  return {
    within: inSpan(instruments, span, api.context.active()),
    retrying: (retryNumber, waitMs, error) =>
      span.addEvent('retry', {
        'hamsa.preload.retry': retryNumber,
        'hamsa.preload.wait_ms': waitMs,
        'error.type': errorType(error),
      }),
    settled: (attempts, error) => {
      const outcome = error ? 'failed' : 'ready';
      preloadDuration.record((performance.now() - startedAt) / 1000, {
        'hamsa.voice.id': metricVoiceId,
        'hamsa.preload.outcome': outcome,
        ...(error && { 'error.type': errorType(error) }),
      });
      span.setAttribute('hamsa.preload.attempts', attempts);
      end(instruments, span, error);
    },
    abandoned: () => span.end(),
  };
}

/** Starts the span of one TTS call (`name`), a child of `parent`. */
export function recordTts(
  instruments: Instruments,
  name: string,
  transport: string,
  parent: Context,
): TtsRecording {
  const { api, tracer, ttsDuration, ttsTimeToFirstAudio } = instruments;
  const startedAt = performance.now();
  const attributes = { 'hamsa.tts.transport': transport };
  const span = tracer.startSpan(name, { kind: api.SpanKind.CLIENT, attributes }, parent);
  let heard = false;
  return {
    within: inSpan(instruments, span, parent),
    firstAudio: () => {
      if (heard) return;
      heard = true;
      ttsTimeToFirstAudio.record((performance.now() - startedAt) / 1000, attributes);
    },
    ended: (error) => {
      const type = error === undefined ? {} : { 'error.type': errorType(error) };
      ttsDuration.record((performance.now() - startedAt) / 1000, { ...attributes, ...type });
      end(instruments, span, error);
    },
  };
}

/** Runs work in a context where `span` (a child of `parent`) is the active span. */
function inSpan({ api }: Instruments, span: Span, parent: Context): SpanScope['within'] {
  const active = api.trace.setSpan(parent, span);
  return (work) => api.context.with(active, work);
}

/** Ends a span, with status ERROR and the exception when it failed. */
export function end({ api }: Instruments, span: Span, error?: unknown): void {
  if (error !== undefined) {
    if (error instanceof Error) span.recordException(error);
    span.setStatus({
      code: api.SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end();
}
