import { describe, expect, it } from 'vitest';
import { LoadSums, loadSumsOf } from '../../../src/session/model/load-sums';
import type { Profile } from '../../../src/shared/model';

describe('the sums a load keeps', () => {
  it('keeps the first two events met, sized to the stacks, and lets the others be summed later', () => {
    const sums = new LoadSums();
    sums.add(2, 0, 0, 10);
    sums.add(0, 5, 1, 3);
    sums.add(2, 0, 0, 10);
    sums.add(1, 1, 0, 7); // a third event: not kept
    const profile = {} as Profile;
    sums.finish(profile, 6);
    const kept = loadSumsOf(profile)!;
    expect(kept[1]).toBeUndefined();
    expect(kept[2]).toMatchObject({ totalPeriod: 20, totalSamples: 2 });
    expect(Array.from(kept[2]!.period)).toEqual([20, 0, 0, 0, 0, 0]);
    expect(Array.from(kept[0]!.counts)).toEqual([...Array(21).fill(0), 1, 0, 0]);
  });

  it('keeps no event whose total passes 2^53 (sums in another order could differ)', () => {
    const sums = new LoadSums();
    sums.add(0, 0, 0, 2 ** 52);
    sums.add(0, 1, 0, 2 ** 52 + 2);
    sums.add(1, 0, 0, 5);
    const profile = {} as Profile;
    sums.finish(profile, 2);
    expect(loadSumsOf(profile)![0]).toBeUndefined();
    expect(loadSumsOf(profile)![1]).toMatchObject({ totalPeriod: 5 });
  });
});
