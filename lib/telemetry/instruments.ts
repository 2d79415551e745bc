import type { Counter, Histogram, Tracer, TracerProvider } from '@opentelemetry/api';
import { type VoiceState } from '../voice/voice-status.interface.js';
import { type OtelApiModule } from './load-otel-api.js';
import { PACKAGE_VERSION, TELEMETRY_NAME } from './telemetry.constants.js';

/** The meter's instruments and the tracer, once the API is loaded (internal). */
export interface Instruments {
  api: OtelApiModule;
  tracer: Tracer;
  preloadDuration: Histogram;
  preloadAttempts: Counter;
  ttsDuration: Histogram;
  ttsTimeToFirstAudio: Histogram;
  ttsRetries: Counter;
  /**
   * Whether a TTS call has anything to record: a meter provider was registered before the module
   * started (its instruments are live), or a tracer provider is registered now.
   */
  isRecording(): boolean;
}

/** Seconds buckets from 5 ms to 60 s: fast preloads and TTS calls, and slow retried ones. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Takes the meter and the tracer named `nestjs-hamsa` from the global API (now, not at import:
 * a meter taken before the app registers its provider would stay a no-op) and creates the
 * instruments; `countByState` feeds the `hamsa.voices` gauge at each collection.
 */
export function createInstruments(
  api: OtelApiModule,
  countByState: () => Map<VoiceState, number>,
): Instruments {
  const meter = api.metrics.getMeter(TELEMETRY_NAME, PACKAGE_VERSION);
  const seconds = (name: string, description: string) =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
  meter
    .createObservableGauge('hamsa.voices', { description: 'Voices in each preload state' })
    .addCallback((result) => {
      for (const [state, count] of countByState()) {
        result.observe(count, { 'hamsa.voice.state': state });
      }
    });
  const hasMeters = meter !== api.createNoopMeter();
  // What a tracer provider delegates to while no SDK registered one.
  const noTracing = new api.ProxyTracerProvider().getDelegate();
  return {
    api,
    tracer: api.trace.getTracer(TELEMETRY_NAME, PACKAGE_VERSION),
    isRecording: () => hasMeters || tracerProviderOf(api) !== noTracing,
    preloadDuration: seconds(
      'hamsa.voice.preload.duration',
      'Time a voice preload took to settle, all attempts and waits included',
    ),
    preloadAttempts: meter.createCounter('hamsa.voice.preload.attempts', {
      description: 'HTTP attempts of voice preloads and refreshes',
    }),
    ttsDuration: seconds('hamsa.tts.duration', 'Time of one real-time TTS call, to its last byte'),
    ttsTimeToFirstAudio: seconds(
      'hamsa.tts.time_to_first_audio',
      'Time from a real-time TTS call to its first audio byte',
    ),
    ttsRetries: meter.createCounter('hamsa.tts.retries', {
      description: 'TTS attempts that failed and were sent again, by transport and reason',
    }),
  };
}

/** The provider the global tracer provider delegates to now (itself when it is no proxy). */
function tracerProviderOf(api: OtelApiModule): TracerProvider {
  const provider = api.trace.getTracerProvider();
  return provider instanceof api.ProxyTracerProvider ? provider.getDelegate() : provider;
}
