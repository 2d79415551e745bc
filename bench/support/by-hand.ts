import { Agent } from 'node:http';
import axios from 'axios';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';

/** Where hand-written preload code sends its requests. */
export interface PreloadTarget {
  url: string;
  apiKey: string;
}

/**
 * One preload request as users write it by hand: `axios.post`, throwing on any status that is
 * not 2xx. Resolves `true` once the voice is preloaded.
 */
function preloadOne(target: PreloadTarget, agent: Agent, voiceId: string): Promise<true> {
  return axios
    .post(
      `${target.url}${HAMSA_ENDPOINTS.preload}`,
      { voiceId },
      { headers: { Authorization: `Token ${target.apiKey}` }, httpAgent: agent },
    )
    .then(() => true);
}

/**
 * Runs hand-written preload code over a keep-alive agent of its own (as Node's global agent is),
 * and destroys the agent's sockets afterwards. `maxSockets` bounds connections when given.
 */
async function withAgent<T>(maxSockets: number | undefined, run: (agent: Agent) => Promise<T>) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  try {
    return await run(agent);
  } finally {
    agent.destroy();
  }
}

/** A sequential `for … await` loop: stops at the first failure. Returns the voices preloaded. */
export function preloadSequentially(target: PreloadTarget, voiceIds: string[]): Promise<number> {
  return withAgent(undefined, async (agent) => {
    let ready = 0;
    try {
      for (const voiceId of voiceIds) {
        await preloadOne(target, agent, voiceId);
        ready++;
      }
    } catch {
      // The naive loop gives up here; the voices after this one are never preloaded.
    }
    return ready;
  });
}

/**
 * An unbounded `Promise.all`: every request at once; it rejects at the first failure while the
 * other requests go on. Resolves once every request has settled, with the voices preloaded.
 */
export function preloadAllAtOnce(target: PreloadTarget, voiceIds: string[]): Promise<number> {
  return withAgent(undefined, async (agent) => {
    let ready = 0;
    const requests = voiceIds.map((voiceId) =>
      preloadOne(target, agent, voiceId).then(() => void ready++),
    );
    await Promise.all(requests).catch(() => undefined);
    await Promise.allSettled(requests);
    return ready;
  });
}

/**
 * The leanest client doing the module's requests: `concurrency` `axios.post` loops sharing a
 * queue, over one keep-alive agent with `maxSockets: concurrency`, no retries nor status handling.
 */
export function preloadBare(
  target: PreloadTarget,
  voiceIds: string[],
  concurrency: number,
): Promise<number> {
  return withAgent(concurrency, async (agent) => {
    let next = 0;
    let ready = 0;
    const loop = async () => {
      while (next < voiceIds.length) {
        await preloadOne(target, agent, voiceIds[next++]);
        ready++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return ready;
  });
}
