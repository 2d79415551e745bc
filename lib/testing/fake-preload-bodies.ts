import { STATUS_CODES } from 'node:http';

/** Hamsa's documented preload answer. */
export const SUCCESS_BODY = {
  success: true,
  message: 'Custom voice have been preloaded successfully',
  data: [],
};
export const RATE_LIMITED_BODY = {
  success: false,
  message: 'Too many requests',
  messageKey: 'TOO_MANY_REQUESTS',
};
const ERROR_BODIES: Record<number, object> = {
  400: { success: false, message: 'Invalid voice ID format', messageKey: 'INVALID_VOICE_ID' },
  401: { success: false, message: 'Invalid or missing API key', messageKey: 'UNAUTHORIZED' },
  404: { success: false, message: 'Voice not found', messageKey: 'VOICE_NOT_FOUND' },
};

/** A JSON success envelope padded to about `bytes` bytes. */
export function paddedBody(bytes: number): Buffer {
  const body = Buffer.alloc(Math.max(bytes, 32), 'x');
  body.write('{"success":true,"padding":"');
  body.write('"}', body.length - 2);
  return body;
}

/** The `voiceId` of a JSON request body, if it has a string one. */
export function parseVoiceId(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const voiceId = (parsed as { voiceId?: unknown } | null)?.voiceId;
    return typeof voiceId === 'string' ? voiceId : undefined;
  } catch {
    return undefined;
  }
}

/** The body the fake answers with for a status when a script gives none. */
export function defaultBody(status: number): object {
  if (status >= 200 && status < 300) return SUCCESS_BODY;
  const known = ERROR_BODIES[status];
  if (known) return known;
  const message = STATUS_CODES[status] ?? 'Error';
  return { success: false, message, messageKey: message.toUpperCase().replace(/\W+/g, '_') };
}
