import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { useSampleProcesses } from './sample-process.js';

/** Latency of the development fake Hamsa: voices stay `loading` this long. */
const LATENCY_MS = 2_500;
/** The sample's graceful shutdown delay: readiness is 503 this long before the server closes. */
const SHUTDOWN_DELAY_MS = 1_500;

interface Probe {
  status: number;
  body: { status?: string; details?: Record<string, { readiness?: string }> };
  at: number;
}

/** GET, or `undefined` when nothing listens (yet, or any more). */
async function probe(url: string): Promise<Probe | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return {
      status: response.status,
      body: (await response.json()) as Probe['body'],
      at: Date.now(),
    };
  } catch {
    return undefined;
  }
}

function readiness(answer: Probe | undefined): string | undefined {
  return answer?.body.details?.['hamsa-voices']?.readiness;
}

describe('sample/03-production as a process', () => {
  const samples = useSampleProcesses('03-production');
  const env = {
    HAMSA_FAKE_LATENCY_MS: String(LATENCY_MS),
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
  };

  it('is not ready while voices load, ready once loaded, and on SIGTERM turns 503 before exiting 0', async () => {
    const sample = await samples.start('03-production', env);
    const ready = `${sample.url}/health/ready`;

    // Until 200: every answer before is a 503 naming loading voices.
    const seen: Probe[] = [];
    const giveUpAt = Date.now() + 20_000;
    while (seen.at(-1)?.status !== 200) {
      if (Date.now() > giveUpAt || sample.child.exitCode !== null) {
        throw new Error(`the sample never became ready; its output:\n${sample.output()}`);
      }
      const answer = await probe(ready);
      if (answer) seen.push(answer);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const notReady = seen.slice(0, -1);
    expect(notReady.length).toBeGreaterThan(0);
    for (const answer of notReady) {
      expect(answer.status).toBe(503);
      expect(readiness(answer)).toBe('not_ready');
    }
    expect(readiness(seen.at(-1))).toBe('ready');
    expect((await probe(`${sample.url}/speech`))?.status).toBe(200);

    const signalledAt = Date.now();
    sample.child.kill('SIGTERM');
    let drained: Probe | undefined;
    while (sample.child.exitCode === null && !drained) {
      const answer = await probe(ready);
      if (answer?.status === 503) drained = answer;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [code] = await sample.exited;
    const exitedAt = Date.now();

    expect(drained).toBeDefined();
    expect(readiness(drained)).toBe('shutting_down');
    expect(drained!.at).toBeLessThan(exitedAt);
    expect(code).toBe(0);
    // The server kept answering during the delay, so the process cannot have exited before it.
    expect(exitedAt - signalledAt).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS - 50);
    expect(exitedAt - signalledAt).toBeLessThan(SHUTDOWN_DELAY_MS + 10_000);
  }, 60_000);

  it('on Ctrl-C (SIGINT) exits 0 without the drain, which is for SIGTERM only', async () => {
    const sample = await samples.start('03-production', env);

    sample.child.kill('SIGINT');

    expect(await sample.exited).toEqual([0, null]);
    expect(sample.output()).toContain('Received termination signal SIGINT');
    expect(sample.output()).not.toContain('Awaiting');
  }, 30_000);
});

describe('sample/03-production/k8s/deployment.yaml', () => {
  const manifest = () => readFile('sample/03-production/k8s/deployment.yaml', 'utf8');

  it('runs the container as a non-root user, read-only, without privilege escalation or capabilities', async () => {
    const yaml = await manifest();
    expect(yaml).toMatch(/^\s+runAsNonRoot: true$/m);
    expect(yaml).toMatch(/^\s+readOnlyRootFilesystem: true\b/m);
    expect(yaml).toMatch(/^\s+allowPrivilegeEscalation: false$/m);
    expect(yaml).toMatch(/^\s+capabilities:\n\s+drop: \['ALL'\]$/m);
  });

  it('starts the file that `npm run build:samples` makes', async () => {
    const command = /command: \['node', '(dist-sample\/[^']+)'\]/.exec(await manifest())?.[1];
    expect(command).toBe('dist-sample/03-production/main.js');
  });
});
