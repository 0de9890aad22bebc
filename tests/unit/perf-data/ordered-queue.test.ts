import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OrderedQueue } from '../../../src/session/perf-data/ordered-queue';

function queue() {
  const out: string[] = [];
  const q = new OrderedQueue<string>((s) => out.push(s));
  return { q, out };
}

describe("perf's ordered-events queue", () => {
  it('lags one round: a round flush delivers only what is older than the previous round', () => {
    const { q, out } = queue();
    q.push(10, 'a');
    q.push(20, 'b');
    q.flushRound(); // next_flush was 0: nothing yet
    expect(out).toEqual([]);
    q.push(15, 'c');
    q.push(30, 'd');
    q.flushRound(); // delivers <= 20 (max of round 1)
    expect(out).toEqual(['a', 'c', 'b']);
    q.flushAll();
    expect(out).toEqual(['a', 'c', 'b', 'd']);
  });

  it('keeps arrival order among equal times', () => {
    const { q, out } = queue();
    q.push(5, 'first');
    q.push(7, 'x');
    q.push(5, 'second');
    q.push(5, 'third');
    q.flushAll();
    expect(out).toEqual(['first', 'second', 'third', 'x']);
  });

  it('does not advance the flush point on a round with nothing queued', () => {
    const { q, out } = queue();
    q.flushRound();
    q.push(10, 'a');
    q.flushRound(); // next_flush still 0
    expect(out).toEqual([]);
    q.flushRound(); // now next_flush = 10
    expect(out).toEqual(['a']);
  });

  it('takes max_timestamp from the last record queued at the tail, as perf does', () => {
    const { q, out } = queue();
    q.push(100, 'a');
    q.flushRound();
    q.flushRound(); // delivers a, next_flush = 100
    expect(out).toEqual(['a']);
    q.push(50, 'late'); // queued at the tail of an empty queue: max_timestamp becomes 50
    q.push(40, 'later');
    q.flushRound(); // delivers <= 100, then next_flush = 50
    expect(out).toEqual(['a', 'later', 'late']);
    expect(q.unordered).toBe(2);
    q.push(60, 'b');
    q.flushRound(); // <= 50: nothing
    expect(out).toHaveLength(3);
  });

  it('delivers records without a time at once, ahead of queued ones', () => {
    const { q, out } = queue();
    q.push(10, 'queued');
    q.deliverNow('now');
    q.flushAll();
    expect(out).toEqual(['now', 'queued']);
  });
});

/**
 * perf's ordered_events as a sorted list with insertion from the tail (ordered-events.c's
 * queue_event walks from the last inserted event; a sorted insert after every equal time is the
 * same order), written independently of OrderedQueue's arrays and run merging.
 */
class ReferenceQueue {
  list: { time: number; item: number }[] = [];
  out: number[] = [];
  lastFlush = -Infinity;
  nextFlush = -Infinity;
  maxTimestamp = -Infinity;
  unordered = 0;
  push(time: number, item: number): void {
    if (time < this.lastFlush) this.unordered++;
    let j = this.list.length;
    while (j > 0 && this.list[j - 1]!.time > time) j--;
    if (j === this.list.length) this.maxTimestamp = time;
    this.list.splice(j, 0, { time, item });
  }
  flushTo(limit: number): void {
    while (this.list.length && this.list[0]!.time <= limit) {
      const e = this.list.shift()!;
      this.lastFlush = e.time;
      this.out.push(e.item);
    }
  }
  flushRound(): void {
    if (!this.list.length) return;
    this.flushTo(this.nextFlush);
    this.nextFlush = this.maxTimestamp;
  }
}

describe('the ordered queue against a reference sorted list', () => {
  it('delivers in the same order, counting the same out-of-order records, for any input', () => {
    const op = fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 0, max: 60 }).map((t) => ({ t })) },
      { weight: 1, arbitrary: fc.constant({ round: true as const }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const out: number[] = [];
        const q = new OrderedQueue<number>((i) => out.push(i));
        const ref = new ReferenceQueue();
        ops.forEach((o, i) => {
          if ('round' in o) {
            q.flushRound();
            ref.flushRound();
          } else {
            q.push(o.t, i);
            ref.push(o.t, i);
          }
          expect(out).toEqual(ref.out);
        });
        q.flushAll();
        ref.flushTo(Infinity);
        expect(out).toEqual(ref.out);
        expect(q.unordered).toBe(ref.unordered);
      }),
      { numRuns: 300 },
    );
  });
});
