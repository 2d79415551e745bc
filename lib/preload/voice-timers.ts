/**
 * One pending timer per voice, as keep-warm refresh and recovery keep them: scheduling a voice
 * again replaces its timer. Timers are unref'd, so a pending one never keeps the process alive.
 */
export class VoiceTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Runs `task` after `delayMs`, unless the voice is cancelled or scheduled again first. */
  schedule(voiceId: string, delayMs: number, task: () => void): void {
    this.cancel(voiceId);
    const timer = setTimeout(() => {
      this.timers.delete(voiceId);
      task();
    }, delayMs);
    timer.unref();
    this.timers.set(voiceId, timer);
  }

  /** Whether the voice has a pending timer. */
  has(voiceId: string): boolean {
    return this.timers.has(voiceId);
  }

  cancel(voiceId: string): void {
    clearTimeout(this.timers.get(voiceId));
    this.timers.delete(voiceId);
  }

  /** Cancels every voice's timer. */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
