/**
 * Whether a parsed JSON value nests objects or arrays more than `maxDepth` levels deep. It walks
 * with a stack of its own, not recursion: a 50,000-level body costs milliseconds, not a stack
 * overflow.
 */
export function isDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
