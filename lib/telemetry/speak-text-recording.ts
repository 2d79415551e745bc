import type { Context } from '@opentelemetry/api';
import { type Instruments } from './instruments.js';
import { end } from './recordings.js';

/** One `speakText()` being recorded: its span, parent of its segments' calls. */
export interface SpeakTextRecording {
  /** Runs `fn` with the span active, so that the TTS calls it makes become its children. */
  run<T>(fn: () => T): T;
  /** Audio reached the caller (only the first call counts). */
  firstAudio(): void;
  /** The speech ended: how many segments it had, whether the caller stopped it, its error. */
  ended(segments: number, interrupted: boolean, error?: unknown): void;
}

/** What is recorded when the API is not installed. */
export const NO_SPEAK_TEXT_RECORDING: SpeakTextRecording = {
  run: (fn) => fn(),
  firstAudio: () => undefined,
  ended: () => undefined,
};

/**
 * Starts the `hamsa.tts.speak_text` span, a child of `parent`; its time to first audio is
 * recorded in `hamsa.tts.time_to_first_audio` with `hamsa.tts.operation: speak_text`.
 */
export function recordSpeakText(
  instruments: Instruments,
  transport: string,
  parent: Context,
): SpeakTextRecording {
  const { api, tracer, ttsTimeToFirstAudio } = instruments;
  const startedAt = performance.now();
  const attributes = { 'hamsa.tts.transport': transport, 'hamsa.tts.operation': 'speak_text' };
  const span = tracer.startSpan(
    'hamsa.tts.speak_text',
    { kind: api.SpanKind.INTERNAL, attributes },
    parent,
  );
  const context = api.trace.setSpan(parent, span);
  let heard = false;
  return {
    run: (fn) => api.context.with(context, fn),
    firstAudio: () => {
      if (heard) return;
      heard = true;
      ttsTimeToFirstAudio.record((performance.now() - startedAt) / 1000, attributes);
    },
    ended: (segments, interrupted, error) => {
      span.setAttribute('hamsa.tts.segments', segments);
      span.setAttribute('hamsa.tts.interrupted', interrupted);
      end(instruments, span, error);
    },
  };
}
