import { sharedAbortController } from '../gateway/call-scope.js';
import { type PreloadJob } from './preload-job.js';

/**
 * The preload queue: runs at most `concurrency` jobs at once, and when a place frees up gives it
 * to the application's own voices (configured, runtime) before any on-demand one, so that a flood
 * of TTS speakers never delays them. Closing it aborts the signal every running job was given.
 */
export class PreloadLane {
  private readonly waiting: Record<'own' | 'onDemand', PreloadJob[]> = { own: [], onDemand: [] };
  private readonly shutdown = sharedAbortController();
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly run: (job: PreloadJob, shutdown: AbortSignal) => Promise<void>,
  ) {}

  /** Whether the lane was closed (application shutdown). */
  get isClosed(): boolean {
    return this.shutdown.signal.aborted;
  }

  /** Queues a job; it starts at once when a place is free. */
  push(job: PreloadJob): void {
    if (this.isClosed) return;
    this.waiting[job.isOnDemand ? 'onDemand' : 'own'].push(job);
    this.startNext();
  }

  /** Drops the waiting jobs and aborts the running ones (their owner rejects them). */
  close(): void {
    this.waiting.own.length = 0;
    this.waiting.onDemand.length = 0;
    this.shutdown.abort();
  }

  private startNext(): void {
    while (this.running < this.concurrency) {
      const job = this.waiting.own.shift() ?? this.waiting.onDemand.shift();
      if (!job) return;
      this.running++;
      // run() never rejects.
      void this.run(job, this.shutdown.signal).then(() => {
        this.running--;
        if (!this.isClosed) this.startNext();
      });
    }
  }
}
