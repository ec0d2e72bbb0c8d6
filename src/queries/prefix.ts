import { sql, type SQL } from 'drizzle-orm';

/**
 * The smallest string greater than every string starting with `prefix`, in code point order (which
 * is UTF-8 byte order, the order of text_pattern_ops): its last character plus one. Null when that
 * character is the last code point, so nothing is above it.
 */
export function prefixEnd(prefix: string): string | null {
  const chars = Array.from(prefix);
  const last = chars.pop();
  if (last === undefined) return null;
  let next = last.codePointAt(0)! + 1;
  if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
  if (next > 0x10ffff) return null;
  return chars.join('') + String.fromCodePoint(next);
}

/**
 * `lower(expr)` starts with the lower-cased `prefix`, as a range of a text_pattern_ops index. Unlike
 * `like $1`, a range of bound parameters uses the index in a prepared statement's generic plan too.
 */
export function startsWith(expr: SQL, prefix: string): SQL {
  const start = prefix.toLowerCase();
  const end = prefixEnd(start);
  const from = sql`lower(${expr}) ~>=~ ${start}::text`;
  return end === null ? from : sql`${from} and lower(${expr}) ~<~ ${end}::text`;
}
