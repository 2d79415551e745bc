/** A voice waiting in the preload queue, with the promise its callers share. */
export interface PreloadJob {
  readonly voiceId: string;
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

/** Creates the job of one voice; its promise settles when the preload does. */
export function startJob(voiceId: string, retries: number): PreloadJob {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { voiceId, retries, promise, resolve, reject };
}
