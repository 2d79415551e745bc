import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { type Duplex } from 'node:stream';
import { UUID_PATTERN } from '../voice/voice-id.js';
import {
  type FakeHamsaServerOptions,
  type FakePreloadStep,
  type RecordedRequest,
} from './fake-hamsa-server.interfaces.js';
import { parseVoiceId, RATE_LIMITED_BODY } from './fake-preload-bodies.js';
import { FakePreloadLimits } from './fake-preload-limits.js';
import { FakePreloadStepPlayer } from './fake-preload-steps.js';
import { FakeRecords, maxRecordsOf } from './fake-records.js';
import { maxBodyBytesOf } from './fake-request-body.js';
import { type FakeIntake, isTtsPath, takeFakeRequest } from './fake-request-intake.js';
import { sendFakeResponse } from './fake-response.js';
import { FakeTimers } from './fake-timers.js';
import { checkEmptyAnswerRate } from './fake-empty-answers.js';
import { FakeTtsEndpoints } from './fake-tts.js';
import { type FakeTtsCall, type FakeTtsStep } from './fake-tts.interfaces.js';

/**
 * A real HTTP server on 127.0.0.1 that imitates Hamsa's preload endpoint
 * (`POST /v2/tts/voices/custom/preload`), records requests (the newest `maxRecords`) and plays
 * scripted failures.
 * It also serves the real-time TTS endpoints (REST, stream, WebSocket) with a cold-voice penalty;
 * see `scriptTts()` and `ttsCalls`.
 * Use it in tests instead of mocking HTTP, so timeouts, retries and keep-alive are exercised for real.
 *
 * @example
 * ```ts
 * const hamsa = await FakeHamsaServer.start({ voiceIds: [fakeVoiceId(1)] });
 * hamsa.script(fakeVoiceId(1), { status: 503, headers: { 'Retry-After': '1' } }, { status: 200 });
 * // point the client at hamsa.url with hamsa.apiKey, run the code under test, then:
 * expect(hamsa.requestsFor(fakeVoiceId(1))).toHaveLength(2);
 * await hamsa.close();
 * ```
 */
export class FakeHamsaServer {
  /** Base URL to give the client, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** API key the server accepts in `Authorization: Token <key>`. */
  readonly apiKey: string;

  private readonly voiceIds?: Set<string>;
  private latencyMs: number;
  private readonly limits: FakePreloadLimits;
  private readonly recorded: FakeRecords<RecordedRequest>;
  private readonly scripts = new Map<string, FakePreloadStep[]>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new FakeTimers();
  private readonly steps = new FakePreloadStepPlayer(this.timers);
  private readonly unanswered = new Set<ServerResponse>();
  private peak = 0;
  private connections = 0;
  private requestNumber = 0;
  private closing?: Promise<void>;
  private readonly tts: FakeTtsEndpoints;

  private constructor(
    private readonly server: Server,
    options: FakeHamsaServerOptions,
    maxRecords: number,
    maxBodyBytes: number,
  ) {
    this.recorded = new FakeRecords(maxRecords);
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.apiKey = options.apiKey ?? 'test-api-key';
    this.voiceIds = options.voiceIds && new Set(options.voiceIds.map((id) => id.toLowerCase()));
    this.latencyMs = options.latencyMs ?? 0;
    this.limits = new FakePreloadLimits(options);
    server.on('connection', (socket: Socket) => this.track(socket));
    const intake: FakeIntake = {
      apiKey: this.apiKey,
      maxBodyBytes,
      recordWithoutBody: (req) => this.recordWithoutBody(req),
      answer: (req, res, body) => this.answer(req, res, body),
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      this.receive(intake, req, res),
    );
    this.tts = new FakeTtsEndpoints(
      {
        apiKey: this.apiKey,
        maxBodyBytes,
        hasVoice: (id) => !this.voiceIds || this.voiceIds.has(id.toLowerCase()),
        record: (req) => this.recordWithoutBody(req),
      },
      options,
      maxRecords,
    );
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.tts.upgrade(req, socket, head),
    );
  }

  /**
   * Starts a server on 127.0.0.1, on a random port unless `port` is given.
   * Call it in `beforeEach`/`beforeAll` and `close()` the result afterwards.
   * Throws a `RangeError` for a `maxRecords` or `maxBodyBytes` that is not a positive integer,
   * or an `emptyAnswerRate` outside 0–1.
   */
  static async start(options: FakeHamsaServerOptions = {}): Promise<FakeHamsaServer> {
    const maxRecords = maxRecordsOf(options.maxRecords);
    const maxBodyBytes = maxBodyBytesOf(options.maxBodyBytes);
    checkEmptyAnswerRate(options.emptyAnswerRate);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FakeHamsaServer(server, options, maxRecords, maxBodyBytes);
  }

  /**
   * The requests received since start or `reset()`, in order, to assert what the client sent
   * (WebSocket handshakes included, as `GET` requests): the newest `maxRecords` of them.
   * A request answered before its body was read (wrong key, unknown path, body over
   * `maxBodyBytes`) is recorded with an empty `body`.
   */
  get requests(): readonly RecordedRequest[] {
    return this.recorded.all;
  }

  /**
   * Requests whose JSON body named this voice (exact match), to assert per-voice attempts.
   */
  requestsFor(voiceId: string): RecordedRequest[] {
    return this.recorded.all.filter((request) => request.voiceId === voiceId);
  }

  /**
   * Requests received but not yet answered or closed, to observe concurrency while it happens.
   * It is a live gauge: `reset()` does not zero it.
   */
  get inFlight(): number {
    return this.unanswered.size;
  }

  /** Highest `inFlight` since start or `reset()`, to check a concurrency limit. */
  get peakInFlight(): number {
    return this.peak;
  }

  /** TCP connections accepted since start or `reset()`, to check that keep-alive reuses them. */
  get connectionCount(): number {
    return this.connections;
  }

  /**
   * Appends answers for the next preload requests naming this voice; once they are used up the
   * default behaviour returns. Scripts bypass voice validation but not the API key check.
   */
  script(voiceId: string, ...steps: FakePreloadStep[]): this {
    const queue = this.scripts.get(voiceId) ?? [];
    queue.push(...steps);
    this.scripts.set(voiceId, queue);
    return this;
  }

  /**
   * Appends outcomes for the next real-time TTS calls (REST, stream or WebSocket) naming this
   * speaker; once they are used up, calls are answered normally again.
   */
  scriptTts(speaker: string, ...steps: FakeTtsStep[]): this {
    this.tts.script(speaker, steps);
    return this;
  }

  /**
   * The real-time TTS calls received since start or `reset()`, in order, with their cold start:
   * the newest `maxRecords` of them.
   */
  get ttsCalls(): readonly FakeTtsCall[] {
    return this.tts.calls;
  }

  /**
   * WebSocket connections opened (upgrades accepted, wrong keys included) since start or
   * `reset()`, to check that a client reuses its sockets.
   */
  get wsConnections(): number {
    return this.tts.connectionCount;
  }

  /** WebSocket connections open now, to check that clients close theirs. */
  get openWebSockets(): number {
    return this.tts.openWebSockets;
  }

  /**
   * Closes every open WebSocket from the server's side (default code 1000), as Hamsa does after
   * 60 minutes idle, to test what a client does with a session it did not close.
   */
  closeWebSockets(code = 1000, reason = 'Idle timeout'): this {
    this.tts.closeWebSockets(code, reason);
    return this;
  }

  /** Sets the delay in ms before every unscripted preload answer, to simulate a slow Hamsa. */
  setLatency(ms: number): this {
    this.latencyMs = ms;
    return this;
  }

  /**
   * Adds voices to the `voiceIds` list given at start, to simulate voices cloned later.
   * Without such a list every UUID already exists, so it changes nothing.
   */
  addVoice(...voiceIds: string[]): this {
    for (const id of voiceIds) this.voiceIds?.add(id.toLowerCase());
    return this;
  }

  /**
   * Forgets recorded requests and scripts and restarts `peakInFlight` (from the current
   * `inFlight`), `connectionCount` and `wsConnections`, to reuse one server across tests; keeps
   * voices and key.
   */
  reset(): void {
    this.recorded.clear();
    this.scripts.clear();
    this.tts.reset();
    this.peak = this.unanswered.size;
    this.connections = 0;
  }

  /**
   * Stops listening, destroys every open socket (hanging requests included) and clears every
   * pending timer, so no handle outlives the test; calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const closed = [...this.unanswered].map(
      (res) => new Promise((done) => res.once('close', done)),
    );
    const stopped = new Promise((done) => this.server.close(done));
    this.timers.clear();
    this.tts.close();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([stopped, ...closed]);
  }

  private track(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    // Any local client may send garbage or reset: an 'error' without a listener would end the
    // process. This one stays on the socket after an upgrade too.
    socket.on('error', ignore);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private receive(intake: FakeIntake, req: IncomingMessage, res: ServerResponse): void {
    this.unanswered.add(res);
    this.peak = Math.max(this.peak, this.unanswered.size);
    const answered = (): boolean => this.unanswered.delete(res);
    res.once('finish', answered).once('close', answered);
    res.setHeader('x-request-id', `req-${++this.requestNumber}`);

    // A client that aborts mid-body is expected in tests; `close` on the response handles it.
    req.on('error', ignore);
    res.on('error', ignore);

    takeFakeRequest(intake, req, res);
  }

  private record(req: IncomingMessage, what: Omit<RecordedRequest, 'method' | 'path' | 'headers'>) {
    this.recorded.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: { ...req.headers },
      ...what,
    });
  }

  private recordWithoutBody(req: IncomingMessage): void {
    this.record(req, { body: '', receivedAt: Date.now(), rateLimited: false });
  }

  /** Answers a preload or TTS request with the right key, once its body has been read. */
  private answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const voiceId = parseVoiceId(body);
    const isTts = isTtsPath(req.url?.split('?')[0] ?? '');
    // One clock reading for the rate limit and the record, so that the record shows what it judged.
    const receivedAt = Date.now();
    const retryAfterMs = isTts ? undefined : this.limits.turnAwayMs(res, receivedAt);
    this.record(req, { body, voiceId, receivedAt, rateLimited: retryAfterMs !== undefined });

    if (isTts) return this.tts.answerRest(req, res, body);
    if (retryAfterMs !== undefined) {
      return sendFakeResponse(res, 429, RATE_LIMITED_BODY, {
        'retry-after': String(Math.ceil(retryAfterMs / 1000)),
      });
    }
    const step = voiceId === undefined ? undefined : this.scripts.get(voiceId)?.shift();
    if (step && 'status' in step && step.status < 300) this.tts.markWarm(voiceId!);
    if (step) return this.steps.play(step, res);
    let status = 200;
    if (voiceId === undefined || !UUID_PATTERN.test(voiceId)) status = 400;
    else if (this.voiceIds && !this.voiceIds.has(voiceId.toLowerCase())) status = 404;
    this.steps.later(this.latencyMs, res, () => {
      if (status === 200) this.tts.markWarm(voiceId!);
      sendFakeResponse(res, status);
    });
  }
}

/** Listener for errors that need no handling beyond not crashing (the socket is closed anyway). */
function ignore(): void {}
