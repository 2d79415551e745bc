/** A voice waiting in the preload queue, with the promise its callers share. */
export interface PreloadJob {
  readonly voiceId: string;
  /** Retries after the first attempt. */
  readonly retries: number;
  /** On-demand jobs (TTS speakers) wait behind the application's own voices. */
  readonly isOnDemand: boolean;
  /**
   * Aborted, with the error every voice would fail with, when Hamsa answers so while the job
   * waits or runs (an empty wallet, a wrong endpoint): the job then sends nothing more.
   */
  readonly halted: AbortSignal;
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

/** Creates the job of one voice; its promise settles when the preload does. */
export function startJob(
  voiceId: string,
  retries: number,
  isOnDemand: boolean,
  halted: AbortSignal,
): PreloadJob {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { voiceId, retries, isOnDemand, halted, promise, resolve, reject };
}
