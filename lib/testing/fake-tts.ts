import { FakeTimers } from './fake-timers.js';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { HAMSA_ENDPOINTS } from '../gateway/hamsa-endpoints.js';
import { bareStreamFormat, wavHeader } from '../tts/wav.js';
import { UUID_PATTERN } from '../voice/voice-id.js';
import { FakeRecords } from './fake-records.js';
import { sendFakeResponse } from './fake-response.js';
import { FakeEmptyAnswers, fakeAnswerAudio } from './fake-empty-answers.js';
import {
  type FakeTtsCall,
  type FakeTtsServerOptions,
  type FakeTtsStep,
} from './fake-tts.interfaces.js';

const DEFAULT_CHUNK_SIZES = [1, 777, 4095, 333, 2049];
const MAX_TEXT = 2000;

/** What the fake TTS endpoints need from the server they run in (internal). */
export interface FakeTtsHost {
  readonly apiKey: string;
  /** Largest WebSocket message read, in bytes (`maxBodyBytes`); a larger one closes with 1009. */
  readonly maxBodyBytes: number;
  /** Whether a cloned voice exists (404 otherwise). */
  hasVoice(voiceId: string): boolean;
  /** Adds a request (here: a WebSocket handshake) to the server's `requests`. */
  record(req: IncomingMessage): void;
}

/**
 * The real-time TTS side of `FakeHamsaServer`: `POST /v1/realtime/tts` (WAV with header),
 * `POST /v1/realtime/tts-stream` (chunked PCM), the `/v1/realtime/ws` WebSocket, the cold-voice
 * penalty and scripted faults.
 */
export class FakeTtsEndpoints {
  private readonly recorded: FakeRecords<FakeTtsCall>;
  /** Voices that paid their cold start, least recently warmed first; at most `maxRecords`. */
  private readonly warm = new Set<string>();
  private readonly scripts = new Map<string, FakeTtsStep[]>();
  /** WebSocket calls scripted to hang or stall: they end when their connection closes. */
  private readonly held = new Set<FakeTtsCall>();
  private readonly timers = new FakeTimers();
  private readonly wss: WebSocketServer;
  private readonly coldStartMs: number;
  private readonly chunkSizes: number[];
  private readonly intervalMs: number;
  private readonly streamHeader: boolean;
  private readonly helloDelayMs: number;
  private readonly emptyAnswers: FakeEmptyAnswers;
  private readonly latencyMs: number;
  private readonly bytesPerSecond?: number;
  private wsConnections = 0;

  constructor(
    private readonly host: FakeTtsHost,
    options: FakeTtsServerOptions,
    private readonly maxRecords: number,
  ) {
    this.recorded = new FakeRecords(maxRecords);
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: host.maxBodyBytes,
    });
    this.coldStartMs = options.coldStartMs ?? 1500;
    this.chunkSizes = options.ttsChunkSizes?.length ? options.ttsChunkSizes : DEFAULT_CHUNK_SIZES;
    this.intervalMs = options.ttsChunkIntervalMs ?? 0;
    this.streamHeader = options.ttsStreamHeader ?? false;
    this.helloDelayMs = options.newConnectionDelayMs ?? options.wsHelloDelayMs ?? 0;
    this.emptyAnswers = new FakeEmptyAnswers(options.emptyAnswerRate);
    this.latencyMs = options.ttsLatencyMs ?? 0;
    this.bytesPerSecond = options.ttsBytesPerSecond;
  }

  /** The newest `maxRecords` calls since start or `reset()`, oldest first. */
  get calls(): readonly FakeTtsCall[] {
    return this.recorded.all;
  }

  /** WebSocket connections accepted since start or `reset()`. */
  get connectionCount(): number {
    return this.wsConnections;
  }

  /** WebSocket connections open now. */
  get openWebSockets(): number {
    return this.wss.clients.size;
  }

  /** A successful preload: later TTS calls with this voice pay no cold start. */
  markWarm(voiceId: string): void {
    const id = voiceId.toLowerCase();
    this.warm.delete(id);
    this.warm.add(id);
    // A Set iterates in insertion order: its first entry is the least recently warmed voice.
    if (this.warm.size > this.maxRecords) this.warm.delete(this.warm.values().next().value!);
  }

  script(speaker: string, steps: FakeTtsStep[]): void {
    this.scripts.set(speaker, [...(this.scripts.get(speaker) ?? []), ...steps]);
  }

  reset(): void {
    this.recorded.clear();
    this.scripts.clear();
    this.wsConnections = 0;
    this.emptyAnswers.reset();
  }

  /** Answers `POST /v1/realtime/tts` or `/tts-stream` with the right key (checked before). */
  answerRest(req: IncomingMessage, res: ServerResponse, text: string): void {
    const isStream = req.url?.split('?')[0] === HAMSA_ENDPOINTS.ttsStream;
    const payload = parseObject(text);
    const problem = this.problemWith(payload);
    if (problem) return sendFakeResponse(res, problem.status, { success: false, ...problem });

    const call = this.record(isStream ? 'stream' : 'rest', payload);
    res.once('close', () => (call.endedAt ??= Date.now()));
    const step = this.nextStep(call.speaker);
    if (step && 'hang' in step) return;
    if (step && 'status' in step)
      return sendFakeResponse(res, step.status, step.body, step.headers);
    const audio = fakeAnswerAudio(step, call.text, payload.mulaw === true);
    const delayMs = this.delayOf(call, step);
    const stop = stopOf(step);
    this.timers.after(delayMs, () => {
      if (res.destroyed) return;
      const format = bareStreamFormat(payload.mulaw === true);
      if (!isStream) {
        const wav = Buffer.concat([wavHeader(format, audio.length), audio]);
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length });
        if (stop === undefined) res.end(wav);
        else res.write(wav.subarray(0, stop.afterBytes), () => stop.stall || res.destroy());
        return;
      }
      res.writeHead(200, { 'content-type': 'audio/wav', 'transfer-encoding': 'chunked' });
      const body = this.streamHeader ? Buffer.concat([wavHeader(format), audio]) : audio;
      void this.writeChunks(
        body,
        stop?.afterBytes,
        (chunk) => res.write(chunk),
        () => res.destroyed,
      ).then((complete) => {
        if (complete) res.end();
        else if (!stop?.stall) res.destroy();
      });
    });
  }

  /** Takes over an HTTP upgrade to `/v1/realtime/ws`; other paths are refused. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.host.record(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== HAMSA_ENDPOINTS.realtimeWs) return void socket.destroy();
    const key = url.searchParams.get('api_key') ?? req.headers['x-api-key'];
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // A malformed frame (e.g. an unmasked one) is an 'error' on the WebSocket: without a
      // listener it would end the process; ws closes the connection by itself.
      ws.on('error', () => undefined);
      this.wsConnections++;
      // Like Hamsa: the upgrade succeeds, then a bad key closes the connection with 4001.
      if (key !== this.host.apiKey) return ws.close(4001, 'Authentication failed');
      this.timers.after(this.helloDelayMs, () => {
        if (ws.readyState === ws.OPEN) {
          ws.send(message('info', { message: 'Connected to realtime WebSocket server' }));
        }
      });
      let turn = Promise.resolve();
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) return;
        turn = turn.then(() => this.answerWs(ws, data, socket));
      });
    });
  }

  /** Closes every open WebSocket from the server's side. */
  closeWebSockets(code: number, reason: string): void {
    for (const ws of this.wss.clients) ws.close(code, reason);
  }

  close(): void {
    this.timers.clear();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private async answerWs(ws: WebSocket, data: RawData, socket: Duplex): Promise<void> {
    const request = parseObject(data.toString());
    if (request.type !== 'tts') return;
    const payload = parseObject(JSON.stringify(request.payload ?? null));
    const problem = this.problemWith(payload);
    if (problem) return void ws.send(message('error', { message: problem.message }));

    const call = this.record('ws', payload);
    const ended = () => (call.endedAt ??= Date.now());
    ws.once('close', ended);
    try {
      await this.answerUtterance(ws, socket, call, payload);
    } finally {
      // A hang or a stall ends only when the connection closes.
      if (ws.readyState === ws.OPEN && !this.isHeld(call)) {
        ended();
        ws.off('close', ended);
      }
    }
  }

  private async answerUtterance(
    ws: WebSocket,
    socket: Duplex,
    call: FakeTtsCall,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const step = this.nextStep(call.speaker);
    if (step && ('hang' in step || 'stallAfterBytes' in step || 'silent' in step)) {
      this.held.add(call);
    }
    if (step && 'hang' in step) return new Promise(() => undefined);
    if (step && 'silent' in step) return silence(socket);
    if (step && 'closeCode' in step) return void ws.close(step.closeCode, step.reason);
    if (step && 'error' in step) return void ws.send(message('error', { message: step.error }));
    const delayMs = this.delayOf(call, step);
    await new Promise<void>((resolve) => this.timers.after(delayMs, resolve));
    if (ws.readyState !== ws.OPEN) return;
    ws.send(message('ack', { message: 'TTS request received' }));
    const stop = stopOf(step);
    const audio = fakeAnswerAudio(step, call.text, payload.mulaw === true);
    const complete = await this.writeChunks(
      audio,
      stop?.afterBytes,
      (chunk) => ws.send(chunk, { binary: true }),
      () => ws.readyState !== ws.OPEN,
    );
    if (complete) ws.send(message('end', { message: 'TTS completed' }));
    else if (!stop?.stall) ws.terminate();
  }

  /** The scripted step of the next answer for `speaker`, or an empty one by `emptyAnswerRate`. */
  private nextStep(speaker: string): FakeTtsStep | undefined {
    return this.emptyAnswers.next(this.scripts.get(speaker)?.shift());
  }

  /** Writes `audio` in the configured chunk sizes; `false` when stopped early or the peer left. */
  private async writeChunks(
    audio: Buffer,
    stopAfter: number | undefined,
    write: (chunk: Buffer) => void,
    isGone: () => boolean,
  ): Promise<boolean> {
    const end = Math.min(audio.length, stopAfter ?? Infinity);
    const startedAt = performance.now();
    for (let offset = 0, i = 0; offset < end; i++) {
      if (isGone()) return false;
      const size = this.chunkSizes[i % this.chunkSizes.length];
      write(audio.subarray(offset, Math.min(end, offset + size)));
      offset += size;
      const paceMs = this.bytesPerSecond
        ? startedAt + (Math.min(offset, end) / this.bytesPerSecond) * 1000 - performance.now()
        : 0;
      const waitMs = Math.max(this.intervalMs, paceMs);
      if (waitMs > 0 && offset < end) {
        await new Promise<void>((resolve) => this.timers.after(waitMs, resolve));
      }
    }
    return stopAfter === undefined && !isGone();
  }

  /** Before answering: the cold start, a step's delay and `ttsLatencyMs`. */
  private delayOf(call: FakeTtsCall, step: FakeTtsStep | undefined): number {
    return call.coldStartMs + (step && 'delayMs' in step ? step.delayMs : 0) + this.latencyMs;
  }

  private isHeld(call: FakeTtsCall): boolean {
    return this.held.delete(call);
  }

  private problemWith(
    payload: Record<string, unknown>,
  ): { status: number; message: string } | undefined {
    const { text, speaker } = payload;
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT) {
      return { status: 400, message: `text must be 1-${MAX_TEXT} characters` };
    }
    if (typeof speaker !== 'string' || speaker === '') {
      return { status: 400, message: 'speaker is required' };
    }
    if (UUID_PATTERN.test(speaker) && !this.host.hasVoice(speaker)) {
      return { status: 404, message: 'Voice not found' };
    }
    return undefined;
  }

  /** Records a call and charges the cold start once per never-preloaded cloned voice. */
  private record(
    transport: FakeTtsCall['transport'],
    payload: Record<string, unknown>,
  ): FakeTtsCall {
    const speaker = String(payload.speaker);
    const isCold = UUID_PATTERN.test(speaker) && !this.warm.has(speaker.toLowerCase());
    if (isCold) this.markWarm(speaker);
    const call: FakeTtsCall = {
      transport,
      speaker,
      text: String(payload.text),
      payload,
      receivedAt: Date.now(),
      coldStartMs: isCold ? this.coldStartMs : 0,
    };
    this.recorded.push(call);
    return call;
  }
}

/** Where a `cutAfterBytes` or `stallAfterBytes` step stops the audio, and how. */
function stopOf(step: FakeTtsStep | undefined): { afterBytes: number; stall: boolean } | undefined {
  if (step && 'cutAfterBytes' in step) return { afterBytes: step.cutAfterBytes, stall: false };
  if (step && 'stallAfterBytes' in step) return { afterBytes: step.stallAfterBytes, stall: true };
  return undefined;
}

/**
 * Makes a WebSocket connection half-open as its client sees it: frames it sends from now on are
 * dropped unread by ws (no pong, no answer, no close handshake), while the client closing the
 * connection is still noticed, so that `openWebSockets` counts it out. Never settles.
 */
function silence(socket: Duplex): Promise<never> {
  socket.removeAllListeners('data');
  socket.on('data', () => undefined).resume();
  return new Promise(() => undefined);
}

function message(type: string, payload: object): string {
  return JSON.stringify({ type, payload });
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
