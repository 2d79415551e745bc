import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * Which keep-alive pool a request uses: `preload` (at most `concurrency` sockets) or `tts`
 * (real-time REST/stream calls, at most `tts.maxSockets`), so that neither waits for the other.
 */
export type HamsaHttpLane = 'preload' | 'tts';

/** The keep-alive agents of one lane, for http: and https: base URLs. */
export class LaneAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;

  constructor(maxSockets: number) {
    this.http = new HttpAgent({ keepAlive: true, maxSockets });
    this.https = new HttpsAgent({ keepAlive: true, maxSockets });
  }

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
