import { describe, expect, it } from 'vitest';
import { SampleTableBuilder, grownCapacity } from '../../../src/session/model/thread-columns';

describe('thread columns', () => {
  it('grow once to the rows projected from the share of the recording read', () => {
    // 64 k rows in the first 2.5 % of the recording: about 2.6 M rows in all, with a margin
    expect(grownCapacity(65536, 0.025)).toBe(Math.ceil((1.25 * 65536) / 0.025));
    // nothing read yet, or a late thread whose projection is below it: four times as many
    expect(grownCapacity(65536, 0)).toBe(4 * 65536);
    expect(grownCapacity(65536, 0.9)).toBe(4 * 65536);
    // a projection from a sliver of the recording is bounded
    expect(grownCapacity(65536, 0.0001)).toBe(64 * 65536);
    // small tables double
    expect(grownCapacity(1024, 0.5)).toBe(2048);
  });

  it('keep every row through the growths', () => {
    const read = { fraction: 0 };
    const b = new SampleTableBuilder(read);
    for (let i = 0; i < 300_000; i++) {
      read.fraction = i / 3_000_000;
      b.add(i, i % 7, i % 5, i % 3, i * 2, i % 2, 0);
    }
    const t = b.finish(0);
    expect(t.length).toBe(300_000);
    expect(t.time[299_999]).toBe(299_999);
    expect(t.stack[123_457]).toBe(123_457 % 7);
    expect(t.period[70_000]).toBe(140_000);
  });

  it('share the merged stacks as recorded ones until a sample differs, sorted or not', () => {
    const classic = new SampleTableBuilder();
    for (let i = 0; i < 5000; i++) classic.add(i, i % 11, i % 11, 0, 1, 0, 0);
    const c = classic.finish(0);
    expect(c.rawStack).toBe(c.stack);
    expect(c.stack[4321]).toBe(4321 % 11);

    // recorded stacks differ from the 3000th sample on (past a growth), times out of order
    const deferred = new SampleTableBuilder();
    const time = (i: number): number => (i % 2 ? 2 * i : 2 * i + 3);
    for (let i = 0; i < 5000; i++)
      deferred.add(time(i), i % 11, i < 3000 ? i % 11 : 100 + (i % 13), 0, 1, 0, 0);
    const d = deferred.finish(0);
    expect(d.rawStack).not.toBe(d.stack);
    const rows = Array.from({ length: 5000 }, (_, i) => i).sort(
      (a, b) => time(a) - time(b) || a - b,
    );
    rows.forEach((i, k) => {
      expect(d.stack[k]).toBe(i % 11);
      expect(d.rawStack[k]).toBe(i < 3000 ? i % 11 : 100 + (i % 13));
    });
  });
});
