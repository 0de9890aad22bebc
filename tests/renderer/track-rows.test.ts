import { describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../src/shared/contract';
import { busiestThread, trackRows, type TrackRow } from '../../src/renderer/model/track-rows';

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
});
