import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Browser, type Page, chromium } from 'playwright-core';
import { fakeSpeech, fakeVoiceId } from '../lib/testing/index.js';
import { AppModule } from '../sample/dashboard/app.module.js';
import { useSampleApp } from './support/sample-app.js';

/** Debian's Chromium (`apt-get install -y chromium`), driven by playwright-core. */
const CHROMIUM = '/usr/bin/chromium';
/** Decided once, at load: the suite runs, or is skipped with the install hint in its name. */
const chromiumPresent = existsSync(CHROMIUM);
/** Latency of the embedded fake Hamsa: voices stay `loading` this long, so the page sees it. */
const LATENCY_MS = 2_500;
/** The page's default text, and the seconds of audio the fake makes of it (16 kHz, 16-bit). */
const TEXT = 'مرحبا بك في همسة';
const TEXT_SECONDS = fakeSpeech(TEXT).length / (16_000 * 2);

/** Waits until `expression`, evaluated in the page, is true (the page's DOM types are not ours). */
async function until(page: Page, expression: string, timeout: number): Promise<void> {
  await page.waitForFunction(expression, undefined, { timeout });
}

/** An expression true once the State column reads `expected`, top to bottom. */
function statesAre(expected: string[]): string {
  const states = `[...document.querySelectorAll('#voices tr > td:nth-child(2)')].map((td) => td.textContent)`;
  return `${states}.join() === ${JSON.stringify(expected.join())}`;
}

const describeWithChromium = chromiumPresent ? describe : describe.skip;

describeWithChromium(
  chromiumPresent
    ? 'the sample page in Chromium'
    : 'the sample page in Chromium (absent: apt-get install -y chromium)',
  () => {
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      // A fresh temporary profile, removed by close().
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        timeout: 30_000,
      });
    }, 40_000);

    afterAll(async () => {
      await browser?.close();
    });

    // A page of its own context (no shared cache), made before the app starts: a new page takes
    // Chromium up to a second here, time the voices would spend loading unseen.
    beforeEach(async () => {
      page = await (await browser.newContext()).newPage();
    });

    afterEach(async () => {
      await page.context().close();
    });

    const sample = useSampleApp(AppModule, { HAMSA_FAKE_LATENCY_MS: String(LATENCY_MS) });

    it('shows the three voices go from loading to ready, without a reload', async () => {
      await page.goto(sample.baseUrl);
      let loads = 0;
      page.on('load', () => loads++);

      await until(page, statesAre(['loading', 'loading', 'loading']), 5_000);
      await until(page, statesAre(['ready', 'ready', 'ready']), 10_000);

      expect(await page.locator('#voices tr > td:nth-child(1)').allTextContents()).toEqual(
        [1, 2, 3].map(fakeVoiceId),
      );
      expect(await page.locator('#speaker option').allTextContents()).toEqual(
        [1, 2, 3].map(fakeVoiceId),
      );
      expect(loads).toBe(0);
    });

    it('speaks: the <audio> element gets a WAV the browser decodes', async () => {
      await page.goto(sample.baseUrl);
      // Speaking before the voice is ready is fine: POST /tts waits for it.
      await page.waitForSelector('#speaker option:nth-child(3)', { state: 'attached' });
      expect(await page.inputValue('#text')).toBe(TEXT);

      await page.click('#speak button');

      // Metadata loaded (`loadedmetadata`): the browser parsed the WAV and knows its length.
      const audio = "document.querySelector('#audio')";
      await until(page, `${audio}.readyState >= 1 && ${audio}.duration > 0`, 10_000);
      const duration = await page.evaluate(`${audio}.duration`);
      expect(duration).toBeCloseTo(TEXT_SECONDS, 2);
      expect(await page.getAttribute('#audio', 'src')).toMatch(/^blob:/);
      expect(await page.textContent('#error')).toBe('');
    });

    it("shows the server's error as text", async () => {
      await page.goto(sample.baseUrl);
      await page.fill('#text', 'ا'.repeat(2001));

      await page.click('#speak button');

      await until(page, "document.querySelector('#error').textContent !== ''", 10_000);
      expect(await page.textContent('#error')).toBe('400 text must be at most 2000 characters');
    });

    it('loses its event stream when the app closes, which does not wait for the page', async () => {
      await page.goto(sample.baseUrl);
      await page.waitForSelector('#voices tr');

      const closing = Date.now();
      await sample.close();

      expect(Date.now() - closing).toBeLessThan(2_000);
      await until(page, "document.querySelector('#connection').textContent !== ''", 5_000);
      expect(await page.textContent('#connection')).toMatch(/^Disconnected/);
      expect(await page.locator('#voices tr').count()).toBe(3);
    });
  },
);
