/** A duration in ms, with one decimal below 100 ms. */
export function ms(value: number): string {
  return value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** A sub-millisecond duration in ms, with three decimals. */
export function ms3(value: number): string {
  return `${value.toFixed(3)} ms`;
}

/** A ratio such as `1.04×`; more digits where a target sits at the edge of two. */
export function times(value: number, digits = 2): string {
  return `${value.toFixed(digits)}×`;
}

/** A byte count in B, KB or MB. */
export function bytes(value: number): string {
  if (value < 1024) return `${Math.round(value)} B`;
  if (value < 1024 ** 2) return `${(value / 1024).toFixed(2)} KB`;
  return `${(value / 1024 ** 2).toFixed(1)} MB`;
}

/** Nanoseconds per operation. */
export function nsPerOp(value: number): string {
  return value < 1000 ? `${value.toFixed(1)} ns/op` : `${(value / 1000).toFixed(2)} µs/op`;
}
