import { type ChildProcess } from 'node:child_process';
import { type FakeHamsaServerOptions } from '../../../lib/testing/index.js';
import { forkScript } from './fork-ts.js';
import {
  type FakeServerCommand,
  type FakeServerMessage,
  type FakeServerStats,
} from './fake-server-protocol.js';

const SCRIPT = new URL('./fake-server-process.js', import.meta.url);

/**
 * A `FakeHamsaServer` running in a child process (`fake-server-process.ts`), so that the server's
 * work does not share the client's event loop or CPU time. Close it when done.
 */
export class RemoteFakeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly apiKey: string,
  ) {}

  static async start(options: FakeHamsaServerOptions = {}): Promise<RemoteFakeServer> {
    const child = forkScript(SCRIPT, [JSON.stringify(options)], { stdio: 'inherit' });
    const started = await nextMessage(child);
    if (started.type !== 'started') throw new Error(`fake server answered ${started.type}`);
    return new RemoteFakeServer(child, started.url, started.apiKey);
  }

  /** Counters since the previous call (or start); the server starts counting afresh. */
  async stats(): Promise<FakeServerStats> {
    const { type: _type, ...stats } = await this.ask({ type: 'stats' });
    return stats as FakeServerStats;
  }

  /** Closes the server and waits for its process to exit. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies FakeServerCommand);
    await exited;
  }

  private ask(command: FakeServerCommand): Promise<FakeServerMessage> {
    const answer = nextMessage(this.child);
    this.child.send(command);
    return answer;
  }
}

function nextMessage(child: ChildProcess): Promise<FakeServerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`fake server exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (message: FakeServerMessage) => {
      child.off('exit', onExit);
      resolve(message);
    });
  });
}
