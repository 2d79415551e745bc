import { once } from 'node:events';
import { createServer } from 'node:net';

/** Below Linux's ephemeral range (32768–60999) and macOS' (49152–65535): `listen(0)` never lands here. */
const [LOWEST, HIGHEST] = [20_000, 32_000];

/**
 * A port that was free a moment ago (a child process listens on it next). It is chosen below the
 * ephemeral range: a server the child starts on port 0 first (a sample's dev fake Hamsa) cannot be
 * handed the same port before the child listens on it, as one taken with `listen(0)` could.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (await isFree(port)) return port;
  }
}

/** Whether a server can listen on `port` (all interfaces, as the apps do). */
async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port);
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  }
}
