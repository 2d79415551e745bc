import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { WebSocket, WebSocketServer } from 'ws';
import { NO_TTS_RECORDING } from '../../lib/telemetry/recordings.js';
import { HamsaTtsSession } from '../../lib/tts/hamsa-tts.session.js';
import { SessionPool } from '../../lib/tts/session-pool.js';
import { type SessionHealthTimings } from '../../lib/tts/session-health.js';
import { failOnUnhandledRejections, sleep, waitFor } from '../support/hamsa-harness.js';

/** Shortened through the pool's internal seam: ping after 50 ms idle, pong within 50 ms. */
const FAST: SessionHealthTimings = { pingIdleMs: 50, pongTimeoutMs: 50, maxAgeMs: 60_000 };

/**
 * A real `ws` server on 127.0.0.1; with `autoPong: false` it never answers a ping, as a peer that
 * stopped reading (a half-open connection).
 */
async function startServer(autoPong: boolean) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  let pings = 0;
  server.on('connection', (socket) => {
    socket.on('error', () => undefined);
    socket.on('ping', () => pings++);
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}`, pings: () => pings };
}

/** Opens a session on `url` the way the module does, minus Hamsa's hello. */
async function openSession(url: string): Promise<HamsaTtsSession> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return new HamsaTtsSession(socket, {
    voiceReady: () => Promise.resolve(),
    redact: (text) => text,
    requestTimeoutMs: 1_000,
    closeTimeoutMs: 100,
    utteranceLimitMs: 10_000,
    audio: { minAudioMs: 30, maxAudioBytes: 1 << 20 },
    telemetry: { activeContext: () => undefined, tts: () => NO_TTS_RECORDING },
  });
}

describe('SessionPool health checks (real ws server)', () => {
  failOnUnhandledRejections('each');
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startPool(autoPong: boolean, timings: SessionHealthTimings = FAST) {
    const { server, url, pings } = await startServer(autoPong);
    const events = { left: 0, lost: [] as number[] };
    const pool = new SessionPool(
      2,
      () => openSession(url),
      { idleLeft: () => events.left++, idleLost: (livedMs) => events.lost.push(livedMs) },
      timings,
    );
    cleanups.push(async () => {
      await pool.stop(new Error('test over'));
      await new Promise((resolve) => server.close(resolve));
    });
    return { server, pool, events, pings };
  }

  it('keeps pinging an idle session that answers, and hands it out again', async () => {
    const { server, pool, pings } = await startPool(true);
    const session = await pool.acquire(new AbortController().signal);
    pool.giveBack(session, true);

    await sleep(300);

    expect(pings()).toBeGreaterThanOrEqual(2);
    expect(session.isOpen).toBe(true);
    expect(await pool.acquire(new AbortController().signal)).toBe(session);
    expect(server.clients.size).toBe(1);
  });

  it('replaces an idle session whose pong does not come (half-open)', async () => {
    const { server, pool, events, pings } = await startPool(false);
    const session = await pool.acquire(new AbortController().signal);
    pool.giveBack(session, true);

    await waitFor(() => !session.isOpen, 'the half-open session closed');

    expect(pings()).toBe(1);
    expect(events.lost).toHaveLength(1);
    expect(pool.size).toBe(0);
    const next = await pool.acquire(new AbortController().signal);
    expect(next).not.toBe(session);
    expect(next.isOpen).toBe(true);
    await waitFor(() => server.clients.size === 1, 'only the new connection left');
  });

  it('does not hand out a session while its ping waits for the pong', async () => {
    const { pool } = await startPool(false, { ...FAST, pongTimeoutMs: 1_000 });
    const session = await pool.acquire(new AbortController().signal);
    pool.giveBack(session, true);
    // The ping goes out after 50 ms idle; its pong would be late only after 1 s.
    await sleep(100);

    const next = await pool.acquire(new AbortController().signal);

    expect(next).not.toBe(session);
    expect(pool.size).toBe(2);
  });

  it('does not ping a session while it is busy', async () => {
    const { pool, pings } = await startPool(false);
    const session = await pool.acquire(new AbortController().signal);

    await sleep(200);

    expect(pings()).toBe(0);
    expect(session.isOpen).toBe(true);
  });

  it('retires an idle session at its maximum age, and a busy one when given back', async () => {
    const { pool, events } = await startPool(true, { ...FAST, maxAgeMs: 150 });
    const idle = await pool.acquire(new AbortController().signal);
    const busy = await pool.acquire(new AbortController().signal);
    pool.giveBack(idle, true);

    await waitFor(() => !idle.isOpen, 'the idle session retired');
    expect(events.left).toBe(1);
    expect(busy.isOpen).toBe(true);

    pool.giveBack(busy, true);
    await waitFor(() => !busy.isOpen, 'the busy session closed when given back');
    expect(pool.size).toBe(0);
  });

  it('closes its sessions and refuses new utterances once stopped', async () => {
    const { pool } = await startPool(false, { ...FAST, pingIdleMs: 10 });
    const session = await pool.acquire(new AbortController().signal);
    pool.giveBack(session, true);
    await sleep(20);

    await pool.stop(new Error('stopped'));

    expect(session.isOpen).toBe(false);
    expect(pool.size).toBe(0);
    const error = await pool.acquire(new AbortController().signal).catch((e: unknown) => e);
    expect(error).toEqual(new Error('stopped'));
  });
});
