// A FakeHamsaServer in a process of its own, so that the benches' client and server do not share
// an event loop. Started by `RemoteFakeServer` with the server's options as JSON in argv[2]; it
// answers the parent's messages over IPC and exits when the parent closes it or goes away.
import { HAMSA_ENDPOINTS } from '../../../lib/gateway/hamsa-endpoints.js';
import { FakeHamsaServer, type FakeHamsaServerOptions } from '../../../lib/testing/index.js';
import { type FakeServerCommand, type FakeServerMessage } from './fake-server-protocol.js';
import { peakPerSecond } from './peak-per-second.js';

const options = JSON.parse(process.argv[2] ?? '{}') as FakeHamsaServerOptions;
// The stats count every request of a window (the server is reset after each), however many.
const server = await FakeHamsaServer.start({ maxRecords: Number.MAX_SAFE_INTEGER, ...options });
let cpuSince = process.cpuUsage();

function reply(message: FakeServerMessage): void {
  process.send?.(message);
}

/** Counters since the last `stats` command (or start), then a fresh start for the next window. */
function takeStats(): FakeServerMessage {
  const cpu = process.cpuUsage(cpuSince);
  const stats: FakeServerMessage = {
    type: 'stats',
    requests: server.requests.length,
    preloads: server.requests.filter((request) => request.path === HAMSA_ENDPOINTS.preload).length,
    turnedAway: server.requests.filter((request) => request.rateLimited).length,
    peakInFlight: server.peakInFlight,
    peakReceivedPerSecond: peakPerSecond(server.requests),
    peakAcceptedPerSecond: peakPerSecond(server.requests.filter((request) => !request.rateLimited)),
    connections: server.connectionCount,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  server.reset();
  cpuSince = process.cpuUsage();
  return stats;
}

process.on('message', (command: FakeServerCommand) => {
  if (command.type === 'stats') reply(takeStats());
  if (command.type === 'close') void server.close().then(() => process.disconnect());
});
process.once('disconnect', () => void server.close());
reply({ type: 'started', url: server.url, apiKey: server.apiKey });
