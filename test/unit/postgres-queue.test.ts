import { describe, expect, it } from 'vitest';

// patches/postgres+3.4.9.patch: postgres.js's Queue left every shifted slot in its array until the
// queue emptied, and its remove() scanned the whole array. A pool whose connections are all busy
// shifts a connection and pushes it back for every query, so the queue never empties: the array grew
// by one slot per query and each move scanned it (8 % of the server's CPU in a profile after seconds
// of load). The patch compacts the array and searches only its live part; this holds it to the
// queue's behaviour through such a load.

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T | undefined;
  remove(x: T): T | null;
}
const modulePath = '../../node_modules/postgres/src/queue.js';
const { default: Queue } = (await import(/* @vite-ignore */ modulePath)) as { default: <T>(initial?: T[]) => Queue<T> };

describe("postgres.js's connection queue (patched)", () => {
  it('stays first-in first-out, with its length and removals right, through a long steady load', () => {
    const queue = Queue<number>();
    const model: number[] = [];
    for (let c = 0; c < 10; c++) {
      queue.push(c);
      model.push(c);
    }
    for (let i = 0; i < 100_000; i++) {
      // A busy connection taken for a query and put back at the end.
      const taken = queue.shift()!;
      expect(taken).toBe(model.shift());
      queue.push(taken);
      model.push(taken);
      if (i % 997 === 0) {
        // A connection that moves to another queue (full, closed) is removed from the middle.
        const leaving = model[(i >> 3) % model.length];
        expect(queue.remove(leaving)).toBe(leaving);
        model.splice(model.indexOf(leaving), 1);
        expect(queue.remove(leaving)).toBeNull();
        queue.push(leaving);
        model.push(leaving);
      }
      expect(queue.length).toBe(model.length);
    }
    const drained: number[] = [];
    while (queue.length > 0) drained.push(queue.shift()!);
    expect(drained).toEqual(model);
    expect(queue.remove(drained[0])).toBeNull();
    queue.push(42);
    expect([queue.length, queue.shift(), queue.length]).toEqual([1, 42, 0]);
  });
});
