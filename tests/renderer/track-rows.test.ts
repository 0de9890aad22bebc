import { describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../src/shared/contract';
import { activitySeries, processSeries } from '../../src/renderer/model/activity-series';
import {
  busiestThread,
  threadsOfRows,
  trackRows,
  type TrackRow,
} from '../../src/renderer/model/track-rows';

let next = 0;
function thread(pid: number, tid: number, name: string, samples: number): ThreadSummary {
  return {
    index: next++,
    tid,
    pid,
    name,
    processName: pid === tid ? name : 'app',
    comms: [],
    samples,
    periodByEvent: [],
    firstSample: 0,
    lastSample: 0,
    deferredRecords: 0,
    unmerged: 0,
  };
}

/** Rows as indented text: `app (pid 10) 30` then `  worker 11: 20`. */
function text(rows: TrackRow[]): string[] {
  return rows.map((r) =>
    r.kind === 'process'
      ? `${r.name} (pid ${r.pid}) ${r.samples}${r.collapsed ? ' collapsed' : ''}`
      : `${r.soleThread ? '' : '  '}${r.thread.name} ${r.thread.tid}: ${r.thread.samples}`,
  );
}

const threads = [
  thread(10, 10, 'app', 10),
  thread(10, 11, 'worker', 20),
  thread(10, 12, 'idle', 0),
  thread(20, 20, 'sh', 25),
  thread(30, 30, 'zz', 5),
  thread(30, 31, 'aa', 1),
];

describe('timeline rows', () => {
  it('groups threads under their process, busiest first, and leaves idle threads out', () => {
    expect(text(trackRows(threads, 'samples', new Set(), false))).toEqual([
      'app (pid 10) 30',
      '  worker 11: 20',
      '  app 10: 10',
      'sh 20: 25',
      'zz (pid 30) 6',
      '  zz 30: 5',
      '  aa 31: 1',
    ]);
  });

  it('sorts by id or by name, keeps idle threads when asked, and collapses a process', () => {
    expect(text(trackRows(threads, 'tid', new Set([30]), true))).toEqual([
      'app (pid 10) 30',
      '  app 10: 10',
      '  worker 11: 20',
      '  idle 12: 0',
      'sh 20: 25',
      'zz (pid 30) 6 collapsed',
    ]);
    expect(text(trackRows(threads, 'name', new Set(), false)).slice(0, 3)).toEqual([
      'app (pid 10) 30',
      '  app 10: 10',
      '  worker 11: 20',
    ]);
  });

  it('starts the per-thread views on the busiest thread', () => {
    expect(busiestThread(threads)).toBe(threads[3]!.index);
    expect(busiestThread([thread(1, 1, 'none', 0)])).toBeUndefined();
  });

  it('fetches the activity of the visible rows: a process row needs its busy threads', () => {
    const rows = trackRows(threads, 'tid', new Set([10]), true);
    const index = (tid: number) => threads.find((t) => t.tid === tid)!.index;
    // app collapsed (its busy threads app and worker, not idle), sh, then zz's row and threads
    expect(threadsOfRows(rows, threads, 64)).toEqual([10, 11, 20, 30, 31].map(index));
    expect(threadsOfRows(rows.slice(0, 1), threads, 1)).toEqual([index(10)]);
  });
});

describe('activity series', () => {
  const answer = {
    start: 0,
    end: 400,
    rows: [
      { thread: threads[0]!.index, bins: Float64Array.from([0, 50, 100, 0]), total: 150 },
      { thread: threads[1]!.index, bins: Float64Array.from([25, 25, 0, 0]), total: 50 },
    ],
    max: 100,
  };

  it('scales CPU time per bin to CPU usage, and counts to the largest bin', () => {
    const cpu = activitySeries(answer, true);
    expect(cpu.get(threads[0]!.index)).toMatchObject({ start: 0, end: 400, scale: 1 / 100 });
    expect(activitySeries(answer, false).get(threads[1]!.index)!.scale).toBe(1 / 100);
    expect(activitySeries({ ...answer, max: 0 }, false).get(threads[1]!.index)!.scale).toBe(0);
  });

  it("sums a process's threads for its row, scaled to the sum's peak", () => {
    const series = activitySeries(answer, false);
    const app = processSeries(10, threads, series)!;
    expect(Array.from(app.bins)).toEqual([25, 75, 100, 0]);
    expect(app.scale).toBe(1 / 100);
    expect(processSeries(20, threads, series)).toBeUndefined();
    // a thread's bins from another view are left out rather than added misaligned
    series.set(threads[1]!.index, {
      start: 0,
      end: 800,
      bins: Float64Array.from([9, 9, 9, 9]),
      scale: 1,
    });
    expect(Array.from(processSeries(10, threads, series)!.bins)).toEqual([0, 50, 100, 0]);
  });
});
