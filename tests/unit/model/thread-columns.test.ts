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
});
