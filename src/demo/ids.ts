import { finishHash, hashInts, mixInto } from './random.js';

const ID_KINDS = { signIn: 0, user: 1 } as const;
const MAX_SEQUENCE = 2 ** 40;
const HALF = 2 ** 20;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A GUID-like id, unique by construction: its last 12 hex digits are (kind, tenant) under a
 * seeded mask, then a keyed permutation (a Feistel network) of the sequence number.
 */
export function makeGuid(seed: readonly [number, number], kind: keyof typeof ID_KINDS, tenant: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence >= MAX_SEQUENCE) throw new RangeError(`id sequence out of range: ${sequence}`);
  const base = hashInts(seed[0], seed[1], 0x1d5);
  const key = mixInto(base, ID_KINDS[kind] * 4 + tenant);
  let left = Math.floor(sequence / HALF);
  let right = sequence % HALF;
  for (let round = 0; round < 4; round++) {
    const mixed = left ^ (finishHash(mixInto(mixInto(key, round), right)) & (HALF - 1));
    left = right;
    right = mixed;
  }
  const a = finishHash(mixInto(mixInto(key, 11), sequence | 0));
  const b = finishHash(mixInto(mixInto(key, 12), sequence | 0));
  const owner = (ID_KINDS[kind] * 16 + tenant) ^ (base & 255);
  return `${hex32(a)}-${HEX[b >>> 24]}${HEX[(b >>> 16) & 255]}-4${hex12(b)}-${'89ab'[a & 3]}${hex12(a >>> 12)}-${HEX[owner]}${hex20(left)}${hex20(right)}`;
}

const hex32 = (value: number) => `${HEX[value >>> 24]}${HEX[(value >>> 16) & 255]}${HEX[(value >>> 8) & 255]}${HEX[value & 255]}`;
const hex12 = (value: number) => `${HEX[(value >>> 8) & 15][1]}${HEX[value & 255]}`;
const hex20 = (value: number) => `${HEX[(value >>> 16) & 15][1]}${HEX[(value >>> 8) & 255]}${HEX[value & 255]}`;
