import { Injectable } from '@nestjs/common';
import { type HamsaSpeechReport } from 'nestjs-hamsa';

/** What the page asks for after a Stop: the speech's report, and when the last token came. */
export interface AgentReport {
  spokenText: string;
  unspokenText: string;
  interrupted: boolean;
  /** `Date.now()` of the scripted LLM's last token, if it got that far. */
  lastTokenAt?: number;
}

/** Keep a report this long for the page to read. */
const KEEP_MS = 60_000;

/** The reports of the speeches in progress or just ended, by the id the page gave. */
@Injectable()
export class AgentSpeeches {
  private readonly reports = new Map<string, Promise<AgentReport>>();

  track(
    id: string,
    report: Promise<HamsaSpeechReport>,
    lastTokenAt: () => number | undefined,
  ): void {
    this.reports.set(
      id,
      report.then(({ spokenText, unspokenText, interrupted }) => {
        setTimeout(() => this.reports.delete(id), KEEP_MS).unref();
        return { spokenText, unspokenText, interrupted, lastTokenAt: lastTokenAt() };
      }),
    );
  }

  reportOf(id: string): Promise<AgentReport> | undefined {
    return this.reports.get(id);
  }
}
