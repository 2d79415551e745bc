/** One target of the issue, checked against what a section measured. */
export interface TargetCheck {
  /** What is measured, e.g. `isReady`. */
  name: string;
  /** The target as the issue states it, e.g. `≤ 100 ns/op`. */
  target: string;
  measured: string;
  met: boolean;
  /** Why it was missed, or what qualifies the result. */
  note?: string;
}

/** One section of the benchmark report: what it measured, a table, and the targets it checks. */
export interface SectionReport {
  title: string;
  /** What was measured and how, in a sentence or two. */
  description: string;
  /** The header row, then one row per measurement. */
  table: string[][];
  targets: TargetCheck[];
}

/** One point of the bootstrap chart: how long preloading `voices` voices took one way. */
export interface ChartPoint {
  series: string;
  voices: number;
  ms: number;
}
