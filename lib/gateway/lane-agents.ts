import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ConnectionLine } from './connection-line.js';

/**
 * Which keep-alive pool a request uses: `preload` (at most `concurrency` sockets) or `tts`
 * (real-time REST/stream calls, at most `tts.maxSockets`), so that neither waits for the other.
 */
export type HamsaHttpLane = 'preload' | 'tts';

/**
 * The keep-alive agents of one lane, for http: and https: base URLs, and the line of requests
 * waiting for one of its `maxSockets` connections (used by the `tts` lane's streamed requests).
 */
export class LaneAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  readonly line: ConnectionLine;

  constructor(maxSockets: number) {
    this.http = new HttpAgent({ keepAlive: true, maxSockets });
    this.https = new HttpsAgent({ keepAlive: true, maxSockets });
    this.line = new ConnectionLine(maxSockets);
  }

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
