import { beforeAll, describe, expect, it } from 'vitest';
import { MergeStatus, type Profile } from '../../../src/shared/model';
import { callchain, samplePage } from '../../../src/session/query/samples';
import { samplePageText } from '../../support/query-text';
import { textProfile } from '../../support/text-profile';

let profile: Profile;
beforeAll(async () => {
  ({ profile } = await textProfile(`
    app;main;a 3 t=0 step=100
    app;main;b;sys_[k] 2 t=300 step=100 merge=merged
    app;main;c 1 t=150 event=task-clock
    app;main;d;sys_[k] 1 t=500 merge=end
  `));
});

const page = (q: Partial<Parameters<typeof samplePage>[1]> = {}) =>
  samplePage(profile, { thread: 0, filters: {}, offset: 0, limit: 100, ...q });

describe('sample pages', () => {
  it("list the chosen event's samples in time order, a page at a time", () => {
    expect(samplePageText(page())).toEqual([
      '0 a',
      '100 a',
      '200 a',
      '300 sys',
      '400 sys',
      '500 sys',
    ]);
    expect(page().total).toBe(6);
    expect(samplePageText(page({ offset: 2, limit: 2 }))).toEqual(['200 a', '300 sys']);
    expect(page({ offset: 5, limit: 10 }).rows).toHaveLength(1);
    expect(page({ offset: 99 }).rows).toEqual([]);
    expect(samplePageText(page({ filters: { event: 1 } }))).toEqual(['150 c']);
  });

  it('take a range from its start (included) to its end (excluded)', () => {
    const p = page({ filters: { range: { start: 100, end: 400 } } });
    expect(samplePageText(p)).toEqual(['100 a', '200 a', '300 sys']);
    expect(p.total).toBe(3);
    expect(page({ filters: { range: { start: 200, end: 200 } } }).total).toBe(0);
  });

  it('carry each sample’s merge status and the stack to expand', () => {
    const p = page();
    expect(p.rows.map((r) => r.status)).toEqual([
      MergeStatus.CLASSIC,
      MergeStatus.CLASSIC,
      MergeStatus.CLASSIC,
      MergeStatus.MERGED,
      MergeStatus.MERGED,
      MergeStatus.UNMERGED_END_OF_SESSION,
    ]);
    const names = (stack: number) => callchain(profile, stack).map((f) => f.name);
    expect(names(p.rows[3]!.stack)).toEqual(['sys', 'b', 'main']);
    expect(p.rows[3]!.leafLib).toBe('[kernel.kallsyms]');
    expect(p.deferredRecords).toBeUndefined();
  });

  it('with merging off, show the recorded stacks and the records in the range', () => {
    const p = page({ filters: { merge: false, range: { start: 300, end: 400 } } });
    expect(callchain(profile, p.rows[0]!.stack).map((f) => f.name)).toEqual([
      'sys',
      '[deferred user stack]',
    ]);
    // the records of the samples at 300 and 400 (a record has its sample's time here)
    expect(p.deferredRecords!.map((r) => [r.time, r.mergedInto])).toEqual([[300, 1]]);
    expect(callchain(profile, p.deferredRecords![0]!.stack).map((f) => f.name)).toEqual([
      'b',
      'main',
    ]);
  });
});
