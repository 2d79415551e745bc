import { Writable } from 'node:stream';

/** One JSON log line, parsed. */
export type JsonLine = Record<string, unknown>;

/** Splits written text into lines and keeps those that parse as JSON objects. */
export class JsonLines {
  /** Every line written, JSON or not, in order. */
  readonly raw: string[] = [];
  private pending = '';

  /** The JSON lines written so far. */
  get lines(): JsonLine[] {
    return this.raw.flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null ? [parsed as JsonLine] : [];
      } catch {
        return [];
      }
    });
  }

  /** Takes a chunk of text; a line is kept once its newline arrives. */
  push(chunk: string): void {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    this.raw.push(...parts.filter((line) => line.length > 0));
  }

  /** A writable stream that feeds this collector, e.g. as a pino destination. */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.push(String(chunk));
        done();
      },
    });
  }

  /**
   * Runs `run` while `process.stdout` and `process.stderr` write here instead, and puts them
   * back after, whatever `run` did.
   */
  async fromStdio<T>(run: () => Promise<T>): Promise<T> {
    const { stdout, stderr } = process;
    const writes = [stdout.write, stderr.write] as const;
    const keep = ((chunk: Buffer | string) => {
      this.push(String(chunk));
      return true;
    }) as typeof stdout.write;
    stdout.write = keep;
    stderr.write = keep;
    try {
      return await run();
    } finally {
      [stdout.write, stderr.write] = writes;
    }
  }
}
