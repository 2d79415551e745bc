/**
 * Every path of Hamsa's API the module uses, in one place: the gateway sends to them and
 * `FakeHamsaServer` serves them.
 */
export const HAMSA_ENDPOINTS = {
  /** `POST`: preloads a cloned voice (`{ voiceId }`). */
  preload: '/v2/tts/voices/custom/preload',
  /** `POST`: one WAV file with its header. */
  tts: '/v1/realtime/tts',
  /** `POST`: chunked audio as it is generated. */
  ttsStream: '/v1/realtime/tts-stream',
  /** The real-time WebSocket (`tts` messages, binary audio frames, `end`). */
  realtimeWs: '/v1/realtime/ws',
} as const;

/** One of Hamsa's endpoints. */
export type HamsaEndpoint = keyof typeof HAMSA_ENDPOINTS;
