import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Context } from '@opentelemetry/api';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from '../hamsa-voice.constants.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { VoiceStatusStore } from '../state/voice-status.store.js';
import { type VoiceState } from '../voice/voice-status.interface.js';
import { createInstruments, type Instruments } from './instruments.js';
import { loadOtelApi } from './load-otel-api.js';
import { type PreloadRecording, type TtsRecording } from './recording.interfaces.js';
import {
  errorType,
  NO_PRELOAD_RECORDING,
  NO_TTS_RECORDING,
  recordPreload,
  recordTts,
} from './recordings.js';
import {
  NO_SPEAK_TEXT_RECORDING,
  recordSpeakText,
  type SpeakTextRecording,
} from './speak-text-recording.js';
import { OTHER_VOICE } from './telemetry.constants.js';
import { ttsRetryReason } from './tts-retry-reason.js';

/**
 * The trace context active when a call was made, kept to parent a span that starts later. Opaque,
 * so that no declaration of this package names an OpenTelemetry type (the API is optional).
 */
export type TelemetryContext = unknown;

/** How a TTS call went to Hamsa, as `hamsa.tts.transport` says it. */
export type TtsTransport = 'rest' | 'stream' | 'websocket';

const TTS_SPAN_NAMES: Record<TtsTransport, string> = {
  rest: 'hamsa.tts.synthesize',
  stream: 'hamsa.tts.stream',
  websocket: 'hamsa.tts.speak',
};

const STATES: VoiceState[] = ['pending', 'loading', 'ready', 'failed'];

/**
 * The module's OpenTelemetry metrics and spans, through the global API (meter and tracer
 * `nestjs-hamsa`). Without `@opentelemetry/api` installed every call is a no-op; with it but no
 * SDK registered, the API's own no-ops. Metric attributes stay bounded: `hamsa.voice.id` only for
 * configured voices (`other` for the rest), never a text, a request's speaker or a secret.
 */
@Injectable()
export class HamsaTelemetry implements OnModuleInit {
  private instruments?: Instruments;
  private readonly configured: Set<string>;

  constructor(
    private readonly store: VoiceStatusStore,
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) options: ResolvedHamsaVoiceOptions,
  ) {
    this.configured = new Set(options.voiceIds);
  }

  async onModuleInit(): Promise<void> {
    const api = await loadOtelApi();
    if (api) this.instruments = createInstruments(api, () => this.countByState());
  }

  /** Starts recording one voice's preload. */
  preload(voiceId: string): PreloadRecording {
    if (!this.instruments) return NO_PRELOAD_RECORDING;
    return recordPreload(this.instruments, voiceId, this.metricVoiceId(voiceId));
  }

  /**
   * Counts one HTTP attempt of a preload or refresh: its status when Hamsa answered, and the type
   * of its `error` when it failed (an error answer, or no answer at all).
   */
  preloadAttempt(statusCode: number | undefined, error: unknown): void {
    this.instruments?.preloadAttempts.add(1, {
      ...(statusCode !== undefined && { 'http.response.status_code': statusCode }),
      ...(error !== undefined && { 'error.type': errorType(error) }),
    });
  }

  /**
   * The context active now, to parent a TTS span that starts later (a stream starts when it is
   * iterated, maybe elsewhere).
   */
  activeContext(): TelemetryContext {
    return this.instruments?.api.context.active();
  }

  /**
   * Starts recording one TTS call, a child of `parent` (from `activeContext()`); with the API
   * installed but no SDK registered, nothing (a call is the hot path: no span, no context).
   */
  tts(transport: TtsTransport, parent: TelemetryContext): TtsRecording {
    if (!this.instruments?.isRecording() || !parent) return NO_TTS_RECORDING;
    const name = TTS_SPAN_NAMES[transport];
    return recordTts(this.instruments, name, transport, parent as Context);
  }

  /**
   * Counts one retried TTS attempt in `hamsa.tts.retries`, by `transport` and the reason of
   * `error` (`empty_audio`, `timeout`, `connection` or `status`).
   */
  ttsRetry(transport: TtsTransport, error: unknown): void {
    this.instruments?.ttsRetries.add(1, {
      'hamsa.tts.transport': transport,
      'hamsa.tts.retry.reason': ttsRetryReason(error),
    });
  }

  /**
   * Starts recording one `speakText()`: a `hamsa.tts.speak_text` span, child of `parent`, whose
   * `run()` makes the segments' TTS calls its children.
   */
  speakText(transport: TtsTransport, parent: TelemetryContext): SpeakTextRecording {
    if (!this.instruments || !parent) return NO_SPEAK_TEXT_RECORDING;
    return recordSpeakText(this.instruments, transport, parent as Context);
  }

  private metricVoiceId(voiceId: string): string {
    return this.configured.has(voiceId) ? voiceId : OTHER_VOICE;
  }

  private countByState(): Map<VoiceState, number> {
    const counts = new Map(STATES.map((state) => [state, 0]));
    for (const { state } of this.store.all()) counts.set(state, (counts.get(state) ?? 0) + 1);
    return counts;
  }
}
