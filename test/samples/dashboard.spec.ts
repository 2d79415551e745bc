import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { useSampleProcesses } from './sample-process.js';

describe('sample/dashboard as a process (npm start)', () => {
  const samples = useSampleProcesses('dashboard');

  it('is what `npm start` runs', async () => {
    const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.start).toBe('npm run build:samples && exec node dist-sample/dashboard/main.js');
  });

  it('serves the page and the voices against the development fake, and exits 0 on Ctrl-C', async () => {
    const sample = await samples.start('dashboard');

    const page = await fetch(`${sample.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain("new EventSource('/voices/events')");
    expect((await fetch(`${sample.url}/voices`)).status).toBe(200);
    expect(sample.output()).toMatch(/Hamsa: a fake server for development at/);

    sample.child.kill('SIGINT');
    expect(await sample.exited).toEqual([0, null]);
  }, 30_000);
});
