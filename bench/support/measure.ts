/** Wall-clock and CPU time (user + system, whole process) of one run, in ms. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Times `run` by the wall clock and by this process's CPU usage. */
export async function measure(run: () => Promise<unknown>): Promise<Timing> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  await run();
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The median (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The first and third quartiles: the range of the middle half of `values`. */
export function quartiles(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return [median(sorted.slice(0, middle)), median(sorted.slice(sorted.length - middle))];
}

/** Runs the garbage collector (the bench runs with `--expose-gc`) until the heap settles. */
export function collectGarbage(): void {
  if (!globalThis.gc) throw new Error('run the bench with node --expose-gc (npm run bench does)');
  for (let i = 0; i < 3; i++) globalThis.gc();
}
