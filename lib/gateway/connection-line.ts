/** A request's hold on one of a lane's connections: calling it gives the connection back (once). */
export type ReleaseConnection = () => void;

interface Waiter {
  grant(): void;
  refuse(): void;
}

/**
 * Lets at most `size` requests of a lane hold a connection at once; the others wait in line,
 * first come first served, until their signal aborts. Unlike the agent's own queue, a request
 * that gave up leaves the line at once, and once the line is closed (shutdown) the requests
 * still waiting are refused: a queued request is never sent later.
 */
export class ConnectionLine {
  private free: number;
  private readonly waiting = new Set<Waiter>();
  private isClosed = false;

  constructor(size: number) {
    this.free = size;
  }

  /**
   * Resolves with the release of a connection once one is free. Rejects with the signal's
   * reason once it aborts, or with `refused()` when the line is (or gets) closed first.
   */
  acquire(signal: AbortSignal | undefined, refused: () => unknown): Promise<ReleaseConnection> {
    if (this.isClosed) return Promise.reject(refused());
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = this.tryAcquire();
    if (release) return Promise.resolve(release);
    return new Promise<ReleaseConnection>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        this.waiting.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const waiter: Waiter = {
        grant: () => settle(() => resolve(this.releaser())),
        refuse: () => settle(() => reject(refused())),
      };
      const onAbort = () => settle(() => reject(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(waiter);
    });
  }

  /** The release of a connection free now, without waiting; `undefined` if none is (or closed). */
  tryAcquire(): ReleaseConnection | undefined {
    if (this.isClosed || this.free === 0) return undefined;
    this.free -= 1;
    return this.releaser();
  }

  /** Refuses the requests waiting now and every later one; those holding a connection go on. */
  close(): void {
    this.isClosed = true;
    for (const waiter of this.waiting) waiter.refuse();
  }

  /** Gives the connection to the next in line, or back to the free ones. */
  private releaser(): ReleaseConnection {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const [next] = this.waiting;
      if (next) next.grant();
      else this.free += 1;
    };
  }
}
