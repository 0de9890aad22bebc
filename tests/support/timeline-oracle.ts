import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './recordings';

/**
 * One line of a recording's `oracle/timeline/events.txt`: perf script's account of every sample
 * and side-band record (switches, lost, COMM, MMAP, FORK, EXIT) in perf's time order, with
 * nanosecond times (workloads/timeline-oracles.sh). A real line:
 *
 *          wk-hash 15730/15733 [000] 11588.124988496: PERF_RECORD_COMM: wk-hash:15730/15733
 */
export interface OracleEvent {
  comm: string;
  pid: number;
  tid: number;
  cpu: number;
  /** Absolute ns, as perf prints them (exact: below 2^53). */
  time: number;
  /** What follows the time: `cpu-clock:`, `PERF_RECORD_SWITCH OUT preempt`, … */
  rest: string;
}

const LINE = /^\s*(.*?)\s+(-?\d+)\/(-?\d+)\s+(?:\[(\d+)\]\s+)?(\d+)\.(\d{9}):\s+(.*)$/;

export function timelineOracle(name: string): OracleEvent[] {
  const text = readFileSync(
    join(FIXTURES, 'real', name, 'oracle', 'timeline', 'events.txt'),
    'utf8',
  );
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = LINE.exec(l);
      if (!m) throw new Error(`unexpected oracle line: ${l}`);
      return {
        comm: m[1]!,
        pid: Number(m[2]),
        tid: Number(m[3]),
        cpu: m[4] === undefined ? -1 : Number(m[4]),
        time: Number(m[5]) * 1e9 + Number(m[6]),
        rest: m[7]!,
      };
    });
}

/** `perf report --stats`'s count of an event kind under an event (`cpu-clock stats:`). */
export function statsCount(name: string, event: string, kind: string): number {
  const text = readFileSync(
    join(FIXTURES, 'real', name, 'oracle', 'timeline', 'stats.txt'),
    'utf8',
  );
  const section = text.split(`${event} stats:`)[1] ?? '';
  const m = new RegExp(`${kind} events:\\s+(\\d+)`).exec(section);
  return m ? Number(m[1]) : 0;
}

/** A switch of one thread as the oracle tells it. */
export interface OracleSwitch {
  tid: number;
  time: number;
  out: boolean;
  preempted: boolean;
}

/**
 * The switches of every thread: from PERF_RECORD_SWITCH / SWITCH_CPU_WIDE lines (the line's
 * tid is the thread that left or came), or from sched:sched_switch lines (prev_pid left, in
 * state prev_state, R or R+ meaning still runnable; next_pid came). The idle task (0) is left out.
 */
export function oracleSwitches(events: OracleEvent[]): OracleSwitch[] {
  const out: OracleSwitch[] = [];
  for (const e of events) {
    const rec = /^PERF_RECORD_SWITCH(?:_CPU_WIDE)? (OUT|IN)( preempt)?/.exec(e.rest);
    if (rec) {
      if (e.tid > 0) {
        out.push({ tid: e.tid, time: e.time, out: rec[1] === 'OUT', preempted: !!rec[2] });
      }
      continue;
    }
    const sched =
      /^sched:sched_switch: .*prev_pid=(\d+) .*prev_state=(\S+) ==> .*next_pid=(\d+)/.exec(e.rest);
    if (sched) {
      const prev = Number(sched[1]);
      const next = Number(sched[3]);
      const runnable = sched[2] === 'R' || sched[2] === 'R+';
      if (prev > 0) out.push({ tid: prev, time: e.time, out: true, preempted: runnable });
      if (next > 0) out.push({ tid: next, time: e.time, out: false, preempted: false });
    }
  }
  return out;
}

/** Per thread: off-CPU intervals (switch-out to the next switch-in) and on-CPU time. */
export interface OracleOffCpu {
  intervals: { start: number; end: number; preempted: boolean }[];
  offCpu: number;
  voluntary: number;
  preempted: number;
  onCpu: number;
}

/** Issue 13's definition, computed from the oracle's switches. */
export function oracleOffCpu(switches: OracleSwitch[]): Map<number, OracleOffCpu> {
  const byTid = new Map<number, OracleOffCpu & { pending?: OracleSwitch; since?: number }>();
  for (const s of switches) {
    let t = byTid.get(s.tid);
    if (!t) {
      t = { intervals: [], offCpu: 0, voluntary: 0, preempted: 0, onCpu: 0 };
      byTid.set(s.tid, t);
    }
    if (s.out) {
      t.pending = s;
      if (t.since !== undefined) t.onCpu += s.time - t.since;
      t.since = undefined;
    } else {
      if (t.pending) {
        const ns = s.time - t.pending.time;
        t.intervals.push({ start: t.pending.time, end: s.time, preempted: t.pending.preempted });
        t.offCpu += ns;
        if (t.pending.preempted) t.preempted += ns;
        else t.voluntary += ns;
      }
      t.pending = undefined;
      t.since = s.time;
    }
  }
  return byTid;
}
