import { beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/shared/model';
import { timeline } from '../../../src/session/query/timeline';
import { textProfile } from '../../support/text-profile';

let profile: Profile;
beforeAll(async () => {
  ({ profile } = await textProfile(`
    app;main;a 5 t=0 step=25 period=4
    worker;main;b 2 t=10 step=80 thread=100/101 period=1
    worker;main;c 1 t=40 thread=100/101 event=task-clock
  `));
});

const bins = (q: Parameters<typeof timeline>[1], directLimit?: number) =>
  timeline(profile, q, directLimit).rows.map((r) => `${r.thread}: ${Array.from(r.bins).join(' ')}`);

describe('timeline', () => {
  it('spans the whole recording by default; the last bin holds the last sample', () => {
    // samples of thread 0 at 0, 25, 50, 75, 100; the view is [0, 101): bins of 20.2 ns
    const answer = timeline(profile, { filters: {}, bins: 5 });
    expect([answer.start, answer.end]).toEqual([0, 101]);
    expect(bins({ filters: {}, bins: 5 })).toEqual(['0: 1 1 1 1 1', '1: 1 0 0 0 1']);
    expect(answer.rows.map((r) => r.total)).toEqual([5, 2]);
    expect(answer.max).toBe(1);
  });

  it('counts a range from its start (included) to its end (excluded)', () => {
    const q = { filters: { range: { start: 25, end: 75 } }, bins: 2 };
    expect(bins(q)).toEqual(['0: 1 1', '1: 0 0']);
    const answer = timeline(profile, q);
    expect([answer.start, answer.end]).toEqual([25, 75]);
  });

  it('gives the same bins from the level-of-detail histogram', () => {
    for (const q of [
      { filters: {}, bins: 5 },
      { filters: { range: { start: 25, end: 75 } }, bins: 2 },
    ]) {
      expect(bins(q, 0)).toEqual(bins(q, Infinity));
    }
  });

  it('sums periods on request', () => {
    expect(bins({ filters: {}, bins: 5, weight: 'period' })).toEqual([
      '0: 4 4 4 4 4',
      '1: 1 0 0 0 1',
    ]);
  });

  it('follows the chosen event and threads', () => {
    expect(bins({ filters: { event: 1 }, bins: 5 })).toEqual(['0: 0 0 0 0 0', '1: 0 1 0 0 0']);
    expect(bins({ filters: { threads: [1] }, bins: 5 })).toEqual(['1: 1 0 0 0 1']);
  });

  it('is empty for an empty selection', () => {
    expect(bins({ filters: { range: { start: 50, end: 50 } }, bins: 3 })).toEqual([
      '0: 0 0 0',
      '1: 0 0 0',
    ]);
    expect(timeline(profile, { filters: { threads: [] }, bins: 3 }).rows).toEqual([]);
  });
});
