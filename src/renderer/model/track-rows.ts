import type { ThreadSummary } from '../../shared/contract';

export type TrackSort = 'samples' | 'tid' | 'name';

export type TrackRow =
  | {
      kind: 'process';
      pid: number;
      name: string;
      threads: number;
      samples: number;
      collapsed: boolean;
    }
  | {
      kind: 'thread';
      thread: ThreadSummary;
      /** The process's only thread: its row stands for the process (no header row). */
      soleThread: boolean;
    };

/**
 * The timeline's rows: processes (a header each), their threads beneath, both ordered by the
 * chosen key; a process with a single thread is just that thread's row. Threads without a single sample are left out unless asked for: a recording of a
 * whole system has hundreds of them.
 */
export function trackRows(
  threads: readonly ThreadSummary[],
  sort: TrackSort,
  collapsed: ReadonlySet<number>,
  includeIdle: boolean,
): TrackRow[] {
  const byPid = new Map<number, ThreadSummary[]>();
  for (const t of threads) {
    if (!includeIdle && t.samples === 0) continue;
    let list = byPid.get(t.pid);
    if (!list) byPid.set(t.pid, (list = []));
    list.push(t);
  }
  const groups = [...byPid.entries()].map(([pid, list]) => ({
    pid,
    name: processName(pid, list),
    samples: list.reduce((sum, t) => sum + t.samples, 0),
    threads: list.sort(threadOrder(sort)),
  }));
  groups.sort((a, b) => {
    switch (sort) {
      case 'samples':
        return b.samples - a.samples || a.pid - b.pid;
      case 'tid':
        return a.pid - b.pid;
      case 'name':
        return a.name.localeCompare(b.name) || a.pid - b.pid;
      default: {
        const never: never = sort;
        return never;
      }
    }
  });
  const rows: TrackRow[] = [];
  for (const g of groups) {
    const only = g.threads.length === 1 ? g.threads[0] : undefined;
    if (only) {
      rows.push({ kind: 'thread', thread: only, soleThread: true });
      continue;
    }
    const isCollapsed = collapsed.has(g.pid);
    rows.push({
      kind: 'process',
      pid: g.pid,
      name: g.name,
      threads: g.threads.length,
      samples: g.samples,
      collapsed: isCollapsed,
    });
    if (!isCollapsed) {
      for (const thread of g.threads) rows.push({ kind: 'thread', thread, soleThread: false });
    }
  }
  return rows;
}

function threadOrder(sort: TrackSort): (a: ThreadSummary, b: ThreadSummary) => number {
  switch (sort) {
    case 'samples':
      return (a, b) => b.samples - a.samples || a.tid - b.tid;
    case 'tid':
      return (a, b) => a.tid - b.tid;
    case 'name':
      return (a, b) => a.name.localeCompare(b.name) || a.tid - b.tid;
    default: {
      const never: never = sort;
      return never;
    }
  }
}

/** The main thread's name (tid = pid), else what the threads say their process is called. */
function processName(pid: number, threads: readonly ThreadSummary[]): string {
  const main = threads.find((t) => t.tid === pid);
  return main?.processName || main?.name || threads[0]?.processName || `pid ${pid}`;
}

/** The thread a view starts with: the one with the most samples. */
export function busiestThread(threads: readonly ThreadSummary[]): number | undefined {
  let best: ThreadSummary | undefined;
  for (const t of threads) if (!best || t.samples > best.samples) best = t;
  return best && best.samples > 0 ? best.index : undefined;
}

/**
 * The threads whose activity some rows draw: a thread row its own, a process row the threads
 * with samples of its process (at most `perProcess` of them).
 */
export function threadsOfRows(
  rows: readonly TrackRow[],
  threads: readonly ThreadSummary[],
  perProcess: number,
): number[] {
  const out = new Set<number>();
  for (const row of rows) {
    if (row.kind === 'thread') out.add(row.thread.index);
    else {
      let n = 0;
      for (const t of threads) {
        if (t.pid !== row.pid || t.samples === 0) continue;
        if (n++ >= perProcess) break;
        out.add(t.index);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}
