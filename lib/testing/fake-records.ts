import { positiveIntegerOption } from './fake-positive-integer.js';

/** Default of `FakeHamsaServerOptions.maxRecords`. */
export const DEFAULT_MAX_RECORDS = 10_000;

/**
 * Validates `maxRecords` (a positive integer) and returns it, or the default when it is omitted.
 * Throws a `RangeError` naming the option, so a typo fails at `start()` and not as slow growth.
 */
export function maxRecordsOf(value: number | undefined): number {
  return positiveIntegerOption(
    'maxRecords',
    value,
    DEFAULT_MAX_RECORDS,
    'the most requests and TTS calls it keeps',
  );
}

/**
 * The newest `max` items of a log, oldest first, so that a long-running fake server stays flat.
 * It trims in chunks (once it holds `2 × max`, and when read), which costs O(1) per item where
 * `Array.shift()` on a large array costs O(n).
 */
export class FakeRecords<T> {
  private items: T[] = [];

  constructor(private readonly max: number) {}

  /** Appends an item, dropping the oldest ones once twice `max` are held. */
  push(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.max * 2) this.trim();
  }

  /** The newest `max` items, oldest first. */
  get all(): readonly T[] {
    this.trim();
    return this.items;
  }

  /** Forgets every item. */
  clear(): void {
    this.items = [];
  }

  private trim(): void {
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
  }
}
