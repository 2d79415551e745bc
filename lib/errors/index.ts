export * from './hamsa.error.js';
export * from './hamsa-api.error.js';
export * from './hamsa-transport.error.js';
export * from './hamsa-options.error.js';
export * from './hamsa-preload.error.js';
export * from './voice-readiness.error.js';
export * from './invalid-voice-id.error.js';
export * from './hamsa-malformed-audio.error.js';
