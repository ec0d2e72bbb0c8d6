const HASH_START = 0x9e3779b9 | 0;

/** A seeded 32-bit hash of a few integers (murmur3's mixing), so each part of the demo draws from its own stream. */
export function hashInts(...values: number[]): number {
  let hash = HASH_START;
  for (const value of values) hash = mixInto(hash, value);
  return finishHash(hash);
}

/** One step of hashInts, for hot paths that cannot afford an array per call. */
export function mixInto(hash: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  hash ^= k;
  return (Math.imul((hash << 13) | (hash >>> 19), 5) + 0xe6546b64) | 0;
}

export function finishHash(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The two 32-bit halves of a seed, so seeds past 2^32 still give different data. */
export function splitSeed(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const high = Math.floor(seed / 2 ** 32);
  return [seed - high * 2 ** 32, high];
}

export interface Random {
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  pickWeighted<T>(items: readonly T[], weightOf: (item: T) => number): T;
}

export function createRandom(...keys: number[]): Random {
  let state = hashInts(...keys);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => items[int(0, items.length - 1)],
    pickWeighted(items, weightOf) {
      const total = items.reduce((sum, item) => sum + weightOf(item), 0);
      let target = next() * total;
      for (const item of items) {
        target -= weightOf(item);
        if (target < 0) return item;
      }
      return items[items.length - 1];
    },
  };
}

/** One label per independent stream, so adding draws to one part never changes another. */
export const STREAMS = { users: 1, trips: 2, traffic: 3, weights: 4, scenarios: 5, leaked: 6 } as const;
