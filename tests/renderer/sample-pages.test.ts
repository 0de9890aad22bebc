import { describe, expect, it } from 'vitest';
import type { SamplePage, SampleRow } from '../../src/shared/contract';
import {
  SAMPLE_PAGE_SIZE as PAGE,
  SamplePageCache,
  recordsAfterRow,
  type DeferredRecord,
} from '../../src/renderer/model/sample-pages';

function row(i: number): SampleRow {
  return {
    index: i,
    time: i * 10,
    cpu: 0,
    event: 0,
    period: 1,
    status: 0,
    leaf: `f${i}`,
    leafLib: 'app',
    stack: i,
  };
}

/** A thread of `total` samples 10 ns apart; records the requests and holds them until released. */
function fakeSession(total: number) {
  const requests: { offset: number; limit: number; signal: AbortSignal; release: () => void }[] =
    [];
  const fetch = (offset: number, limit: number, signal: AbortSignal): Promise<SamplePage> =>
    new Promise((resolve) => {
      const rows: SampleRow[] = [];
      for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(row(i));
      requests.push({ offset, limit, signal, release: () => resolve({ total, offset, rows }) });
    });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { requests, fetch, settle };
}

describe('the sample list pages', () => {
  it('learns the total from the first page and knows the time of the sample after each row', async () => {
    const session = fakeSession(PAGE * 3 + 5);
    const cache = new SamplePageCache(
      session.fetch,
      () => {},
      (e) => {
        throw e;
      },
    );
    const started = cache.start();
    session.requests[0]!.release();
    await started;
    expect(cache.total).toBe(PAGE * 3 + 5);
    expect(cache.row(PAGE - 1)?.time).toBe((PAGE - 1) * 10);
    // The extra row of each request: the next page's first time, before that page is loaded.
    expect(cache.nextTime(PAGE - 1)).toBe(PAGE * 10);
    expect(cache.row(PAGE)).toBeUndefined();
  });

  it('fetches the pages that scroll into view, a few at a time, and drops those scrolled past', async () => {
    const session = fakeSession(PAGE * 100);
    let changes = 0;
    const cache = new SamplePageCache(
      session.fetch,
      () => changes++,
      (e) => {
        throw e;
      },
    );
    const started = cache.start();
    session.requests[0]!.release();
    await started;
    session.requests.length = 0;

    cache.ensure(PAGE * 10, PAGE * 20 - 1); // ten pages wanted
    expect(session.requests.map((r) => r.offset / PAGE)).toEqual([10, 11, 12, 13]);
    cache.ensure(PAGE * 50, PAGE * 50 + 10); // scrolled far away
    expect(session.requests.slice(0, 4).every((r) => r.signal.aborted)).toBe(true);
    expect(session.requests.at(-1)!.offset).toBe(PAGE * 50);
    session.requests.at(-1)!.release();
    await session.settle();
    expect(cache.row(PAGE * 50 + 3)?.leaf).toBe(`f${PAGE * 50 + 3}`);
    expect(changes).toBe(2);
    // The last page: the sample after the last one is at infinity.
    cache.ensure(PAGE * 99, PAGE * 100 - 1);
    session.requests.at(-1)!.release();
    await session.settle();
    expect(cache.nextTime(PAGE * 100 - 1)).toBe(Infinity);
  });

  it('puts each deferred record after the sample that precedes it, none lost before the first', () => {
    const records: DeferredRecord[] = [5, 12, 20, 20, 35].map((time, i) => ({
      time,
      cookie: `c${i}`,
      stack: i,
      mergedInto: 1,
    }));
    const cookies = (list: readonly DeferredRecord[]) => list.map((r) => r.cookie);
    expect(cookies(recordsAfterRow(records, 0, 10, 20))).toEqual(['c0', 'c1']);
    expect(cookies(recordsAfterRow(records, 1, 20, 30))).toEqual(['c2', 'c3']);
    expect(cookies(recordsAfterRow(records, 2, 30, Infinity))).toEqual(['c4']);
    expect(recordsAfterRow(records, 5, 40, 50)).toEqual([]);
  });
});
