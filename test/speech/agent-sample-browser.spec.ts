import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { type Browser, type Page } from 'playwright-core';
import { startAgentSample } from '../../sample/06-voice-agent/main.js';
import { SCRIPTED_ANSWERS } from '../../sample/06-voice-agent/scripted-llm.js';
import { chromiumPresent, launchChromium } from '../support/chromium.js';

const describeWithChromium = chromiumPresent ? describe : describe.skip;

interface AgentWindow {
  agent: {
    id?: string;
    firstAudioAt?: number;
    silencedMs?: number;
    report?: { spokenText: string; interrupted: boolean };
  };
}

describeWithChromium(
  chromiumPresent
    ? 'the voice agent sample (/agent) in Chromium'
    : 'the voice agent sample (/agent) in Chromium (absent: apt-get install -y chromium)',
  () => {
    let browser: Browser;
    let page: Page;
    let app: INestApplication;
    let baseUrl: string;
    const savedKey = process.env.HAMSA_API_KEY;

    beforeAll(async () => {
      browser = await launchChromium();
    }, 40_000);

    afterAll(async () => {
      await browser?.close();
    });

    beforeEach(async () => {
      page = await (await browser.newContext()).newPage();
      // The sample's switch: no key, so it embeds its fake Hamsa.
      delete process.env.HAMSA_API_KEY;
      app = await startAgentSample(0);
      baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    });

    afterEach(async () => {
      await page.context().close();
      await app.close();
      if (savedKey !== undefined) process.env.HAMSA_API_KEY = savedKey;
    });

    async function ask(question: string): Promise<void> {
      await page.goto(`${baseUrl}/agent`);
      await page.fill('#question', question);
      await page.click('#go');
      await page.waitForFunction('window.agent.firstAudioAt !== undefined', undefined, {
        timeout: 10_000,
      });
    }

    it('plays audio before the scripted LLM produced its last token, with captions', async () => {
      await ask('ما هو رصيدي؟');

      const report = await page.evaluate(async () => {
        const { agent } = globalThis as unknown as AgentWindow;
        const response = await fetch(`/agent/report/${agent.id}`);
        return { firstAudioAt: agent.firstAudioAt!, ...((await response.json()) as object) };
      });

      const { firstAudioAt, lastTokenAt, spokenText } = report as {
        firstAudioAt: number;
        lastTokenAt: number;
        spokenText: string;
      };
      expect(firstAudioAt).toBeLessThan(lastTokenAt);
      expect(spokenText).toBe(SCRIPTED_ANSWERS.ar);
      await page.waitForFunction("document.querySelectorAll('#captions p').length > 1");
    });

    it('Stop silences within 200 ms and shows what was spoken: a prefix of the answer', async () => {
      await ask('What is my balance?');
      await page.waitForTimeout(700);

      await page.click('#stop');
      await page.waitForFunction('window.agent.report !== undefined', undefined, {
        timeout: 5_000,
      });

      const { silencedMs, report } = await page.evaluate(() => {
        const { agent } = globalThis as unknown as AgentWindow;
        return { silencedMs: agent.silencedMs!, report: agent.report! };
      });
      expect(silencedMs).toBeLessThanOrEqual(200);
      expect(report.interrupted).toBe(true);
      expect(report.spokenText.length).toBeGreaterThan(0);
      expect(SCRIPTED_ANSWERS.en.startsWith(report.spokenText)).toBe(true);
      expect(report.spokenText.length).toBeLessThan(SCRIPTED_ANSWERS.en.length);
      expect(await page.textContent('#report')).toBe(`Spoken: ${report.spokenText}`);
    });
  },
);
