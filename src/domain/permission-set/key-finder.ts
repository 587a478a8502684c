import type { RowKey } from './section-rule.js';

/**
 * Where a key is among `keys`, or -1. Keys read from the database come in key order: then a
 * binary search finds them, with no hash table of 400,000 entries to build. Otherwise a Map.
 */
export function keyFinder(keys: ArrayLike<RowKey>): (key: RowKey) => number {
  if (!ascendingNumbers(keys)) {
    const index = new Map(Array.from(keys, (key, i) => [key, i]));
    return (key) => index.get(key) ?? -1;
  }
  const sorted = keys as ArrayLike<number>;
  return (key) => {
    if (typeof key !== 'number') return -1;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = sorted[mid] as number;
      if (value === key) return mid;
      if (value < key) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  };
}

function ascendingNumbers(keys: ArrayLike<RowKey>): boolean {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'number' || (i > 0 && key <= (keys[i - 1] as number))) return false;
  }
  return true;
}
