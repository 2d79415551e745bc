import { Inject, Injectable } from '@nestjs/common';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from '../hamsa-voice.constants.js';
import { UnknownVoiceError, VoiceNotReadyError } from '../errors/voice-readiness.error.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { VoicePreloader } from '../preload/voice-preloader.js';
import { VoiceReadinessService } from './voice-readiness.service.js';
import { VoiceStatusStore } from '../state/voice-status.store.js';
import { canonicalVoiceId, isUuid } from '../voice/voice-id.js';
import { type VoiceStatus } from '../voice/voice-status.interface.js';

/**
 * Decides, before each TTS call, whether its speaker may be used, and waits until it may:
 * a built-in name at once; a cloned voice once ready. A TTS speaker is untrusted input, so an
 * unconfigured UUID is preloaded on demand only within `onDemandPreload`'s bounds, a failed
 * on-demand voice is asked for again only after `failedVoiceTtlMs`, and a configured voice that
 * failed with a retryable error gets one recovery attempt at most every `retryDelayMs`.
 */
@Injectable()
export class SpeakerReadiness {
  constructor(
    private readonly store: VoiceStatusStore,
    private readonly preloader: VoicePreloader,
    private readonly readiness: VoiceReadinessService,
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
  ) {}

  /**
   * Resolves once `speaker` may be used.
   *
   * @throws VoiceNotReadyError (`shutdown` during or after shutdown, `timeout`, `aborted`,
   * `capacity`), UnknownVoiceError (an unconfigured UUID with `onDemandPreload: false`),
   * VoicePreloadFailedError.
   */
  async whenUsable(speaker: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    // A built-in name stays as given; a UUID is known under its canonical (lower-case) form.
    const voiceId = canonicalVoiceId(speaker);
    if (this.store.isShuttingDown) {
      throw new VoiceNotReadyError(voiceId, this.store.stateOf(voiceId), 'shutdown');
    }
    if (!isUuid(voiceId)) return;
    const status = this.store.get(voiceId);
    if (!status) await this.preloadOnDemand(voiceId);
    else if (status.state === 'failed') this.retryFailed(status);
    else this.store.touch(voiceId);
    await this.readiness.whenReady(voiceId, { timeoutMs, signal });
  }

  /**
   * Whether `speaker` may be used now, without waiting: a built-in name, or a voice that is
   * ready (noted as used, as `whenUsable` does). `false` means: ask `whenUsable`.
   */
  isUsableNow(speaker: string): boolean {
    const voiceId = canonicalVoiceId(speaker);
    if (this.store.isShuttingDown) return false;
    if (!isUuid(voiceId)) return true;
    if (this.store.stateOf(voiceId) !== 'ready') return false;
    this.store.touch(voiceId);
    return true;
  }

  private async preloadOnDemand(voiceId: string): Promise<void> {
    if (this.options.onDemandPreload === false) throw new UnknownVoiceError(voiceId);
    const preloading = this.preloader.preload(voiceId, 'on-demand');
    // whenReady() reports a failure, as VoicePreloadFailedError.
    preloading.catch(() => undefined);
    // Refused before it started (shutdown, or no on-demand slot free): that error is the answer.
    if (!this.store.get(voiceId)) await preloading;
  }

  /** Starts another preload of a failed voice when its failure may have healed by now. */
  private retryFailed({ voiceId, source }: VoiceStatus): void {
    const failedForMs = this.store.failedForMs(voiceId) ?? 0;
    if (source === 'on-demand') {
      // On-demand voices exist only while onDemandPreload is on.
      const { onDemandPreload } = this.options;
      if (onDemandPreload && failedForMs >= onDemandPreload.failedVoiceTtlMs) {
        this.start(this.preloader.preload(voiceId, 'on-demand'));
      }
      return;
    }
    if (this.store.failureOf(voiceId)?.retryable && failedForMs >= this.options.retryDelayMs) {
      // One attempt: the caller waits for it, and the background recovery keeps its own pace.
      this.start(this.preloader.preload(voiceId, 'runtime', 0));
    }
  }

  /** A preload whose outcome whenReady() reports. */
  private start(preloading: Promise<void>): void {
    preloading.catch(() => undefined);
  }
}
