import { type Logger } from '@nestjs/common';
import { HamsaAuthenticationError, HamsaQuotaExceededError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { escapeForLog } from '../voice/escape-for-log.js';
import { type VoiceSource } from '../voice/voice-status.interface.js';
import { isAccountWide } from './preload-halt.js';

const MINUTE_MS = 60_000;

/**
 * The log lines of failed preloads, each failure said once: a rejected key and each account-wide
 * failure (quota, wrong endpoint) in one line for every voice it stopped; on-demand speakers
 * (untrusted, possibly made up) in one WARN line at their first failure, then one summary a minute
 * while they keep failing; every other voice in an ERROR line of its own. Values from callers and
 * from Hamsa are escaped.
 */
export class PreloadFailureLog {
  private isKeyRejectionLogged = false;
  private lastAccountWide?: HamsaError;
  /** On-demand failures since the last line, by kind. */
  private readonly onDemandCounts = new Map<string, number>();
  private window?: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly recoveryDelayMs: number,
  ) {}

  /** A preload of `voiceId` failed with `error`. */
  failed(voiceId: string, source: VoiceSource, error: HamsaError): void {
    if (error instanceof HamsaAuthenticationError) return this.keyRejected(error);
    if (isAccountWide(error)) return this.accountWide(error);
    const reason = `${error.name}: ${escapeForLog(error.message)}`;
    if (source === 'on-demand') {
      return this.onDemand(voiceId, `failed to preload (${error.name})`, reason);
    }
    this.logger.error(`voice ${escapeForLog(voiceId)} failed to preload: ${reason}`);
  }

  /** An on-demand speaker was turned away without a request: `limit` names the bound it hit. */
  refused(voiceId: string, limit: string): void {
    this.onDemand(voiceId, `refused (${limit})`, `refused without a request: ${limit} reached`);
  }

  /** Stops the summary's timer (at shutdown); what it had not yet said is dropped. */
  close(): void {
    clearTimeout(this.window);
    this.window = undefined;
    this.onDemandCounts.clear();
  }

  /** A rejected key fails every voice with one error: said once. */
  private keyRejected(error: HamsaAuthenticationError): void {
    if (this.isKeyRejectionLogged) return;
    this.isKeyRejectionLogged = true;
    this.logger.error(`Hamsa rejected the API key (${error.status}); no voice will be preloaded`);
  }

  /** One line for every voice an account-wide failure stopped. */
  private accountWide(error: HamsaError): void {
    if (error === this.lastAccountWide) return;
    this.lastAccountWide = error;
    const message = escapeForLog(error.message);
    if (!(error instanceof HamsaQuotaExceededError)) {
      this.logger.error(`${message}; the preloads in flight were stopped`);
      return;
    }
    const recovery =
      this.recoveryDelayMs > 0
        ? `configured voices are tried again in ${this.recoveryDelayMs} ms (recoveryDelayMs)`
        : 'recoveryDelayMs is 0, so they are not tried again';
    this.logger.warn(
      `Hamsa says the account's quota is spent (${message}); the preloads in flight were ` +
        `stopped and ${recovery}`,
    );
  }

  /** The first on-demand failure of a minute is logged; the others are summed up at its end. */
  private onDemand(voiceId: string, kind: string, detail: string): void {
    if (this.window) {
      this.onDemandCounts.set(kind, (this.onDemandCounts.get(kind) ?? 0) + 1);
      return;
    }
    this.logger.warn(
      `on-demand speaker ${escapeForLog(voiceId)}: ${detail}; ` +
        'further on-demand failures are summed up once a minute',
    );
    this.openWindow();
  }

  private openWindow(): void {
    this.window = setTimeout(() => this.summarize(), MINUTE_MS);
    // A summary due never keeps the process alive.
    this.window.unref();
  }

  private summarize(): void {
    this.window = undefined;
    if (this.onDemandCounts.size === 0) return;
    const counts = [...this.onDemandCounts].map(([kind, count]) => `${count} ${kind}`);
    this.onDemandCounts.clear();
    this.logger.warn(`on-demand speakers in the last minute: ${counts.join(', ')}`);
    this.openWindow();
  }
}
