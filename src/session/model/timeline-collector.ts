import {
  MarkerKind,
  OffCpuCause,
  SwitchSource,
  type MarkerTable,
  type Nanoseconds,
  type ThreadInfo,
} from '../../shared/model';
import { Misc, RecordType } from '../perf-data/constants';
import type { CommRecord, MmapRecord, TaskRecord } from '../perf-data/records';
import { MarkerTableBuilder, type StringSink } from './marker-table-builder';
import { offCpuIntervals } from './off-cpu-intervals';
import { SwitchTableBuilder } from './switch-table-builder';
import type { TraceFacts } from './trace-facts';

/**
 * The records the timeline needs besides samples, flat so the load worker can pack them into
 * its batch columns: SWITCH, SWITCH_CPU_WIDE, LOST and LOST_SAMPLES.
 */
export interface TimelineRecordFacts {
  type: number;
  misc: number;
  pid: number;
  tid: number;
  time: number;
  cpu: number;
  /** LOST and LOST_SAMPLES: how many. */
  count: number;
}

export function isTimelineRecord(type: number): boolean {
  return (
    type === RecordType.SWITCH ||
    type === RecordType.SWITCH_CPU_WIDE ||
    type === RecordType.LOST ||
    type === RecordType.LOST_SAMPLES
  );
}

/** A side-band record as the load worker posts it (without its event). */
type WithoutEvent<T> = T extends unknown ? Omit<T, 'event'> : never;

/** PROT_EXEC: only code mappings are "new libraries". */
const PROT_EXEC = 4;

/** Switches kept per recording (a file controls how many there are). */
export const MAX_SWITCHES = 32_000_000;

/**
 * Collects context switches (per thread, from switch records and sched_switch samples) and
 * markers while the model is built, then attaches the switch and off-CPU tables to the threads
 * and freezes the marker table.
 */
export class TimelineCollector {
  private readonly switches = new Map<number, SwitchTableBuilder>();
  private readonly markers: MarkerTableBuilder;
  private switchCount = 0;
  private switchesNotKept = 0;

  constructor(strings: StringSink) {
    this.markers = new MarkerTableBuilder(strings);
  }

  record(r: TimelineRecordFacts): void {
    switch (r.type) {
      case RecordType.SWITCH:
      case RecordType.SWITCH_CPU_WIDE: {
        // SWITCH_CPU_WIDE names the task that left (out) or came (in) in its sample_id, and
        // the other one in the body: each record is about sid.tid, as for SWITCH.
        const out = (r.misc & Misc.SWITCH_OUT) !== 0;
        const preempt = (r.misc & Misc.SWITCH_OUT_PREEMPT) !== 0;
        const cause = out && preempt ? OffCpuCause.PREEMPTED : OffCpuCause.VOLUNTARY;
        this.switchesOf(r.tid)?.add(r.time, out, cause, r.cpu, -1, -1, SwitchSource.SWITCH_RECORD);
        break;
      }
      case RecordType.LOST:
        this.markers.add(r.time, MarkerKind.LOST_EVENTS, r.pid, r.tid, r.cpu, r.count, undefined);
        break;
      case RecordType.LOST_SAMPLES:
        // perf record writes it when it stops, synthesized without a time: it counts the whole
        // recording, so it goes at the end (NaN: placed by finish())
        this.markers.add(
          r.time === 0 ? NaN : r.time,
          MarkerKind.LOST_SAMPLES,
          r.pid,
          r.tid,
          r.cpu,
          r.count,
          undefined,
        );
        break;
    }
  }

  /** COMM (rename, exec) and MMAP markers; records synthesized before the recording carry no time. */
  sideBand(r: WithoutEvent<MmapRecord | CommRecord | TaskRecord>): void {
    if (!r.sid.hasTime || r.sid.time === 0) return;
    if (r.type === RecordType.COMM) {
      const kind = r.exec ? MarkerKind.EXEC : MarkerKind.COMM;
      this.markers.add(r.sid.time, kind, r.pid, r.tid, r.sid.cpu, 0, r.comm);
    } else if (r.type === RecordType.MMAP || r.type === RecordType.MMAP2) {
      if (!(r.prot & PROT_EXEC) || !r.filename.startsWith('/')) return;
      this.markers.add(r.sid.time, MarkerKind.MMAP, r.pid, r.tid, r.sid.cpu, 0, r.filename);
    }
  }

  /**
   * A tracepoint sample: a marker, and for sched:sched_switch a switch-out of prev_pid (with
   * the sample's stacks: where it blocked) and a switch-in of next_pid. prev_pid, not the
   * sample's tid: perf reports an exiting task's sample with tid -1.
   */
  tracepoint(
    s: { pid: number; tid: number; time: number; cpu: number; event: number },
    stack: number,
    rawStack: number,
    facts: TraceFacts,
  ): void {
    this.markers.add(s.time, MarkerKind.TRACEPOINT, s.pid, s.tid, s.cpu, 0, facts.text, s.event);
    const sched = facts.sched;
    if (!sched) return;
    // prev_state 0 (R) or TASK_REPORT_MAX (R+, preempted): still runnable when it left
    const cause = (sched.prevState & 0xff) === 0 ? OffCpuCause.PREEMPTED : OffCpuCause.VOLUNTARY;
    const source = SwitchSource.SCHED_SWITCH;
    this.switchesOf(sched.prevTid)?.add(s.time, true, cause, s.cpu, stack, rawStack, source);
    this.switchesOf(sched.nextTid)?.add(s.time, false, 0, s.cpu, -1, -1, source);
  }

  /**
   * The switch builder of `tid` for one more switch, counted against MAX_SWITCHES; undefined
   * when the switch is not kept.
   */
  private switchesOf(tid: number): SwitchTableBuilder | undefined {
    if (tid <= 0) return undefined; // the idle task (one per CPU, all tid 0) or no task
    if (this.switchCount >= MAX_SWITCHES) {
      this.switchesNotKept++;
      return undefined;
    }
    this.switchCount++;
    let b = this.switches.get(tid);
    if (!b) this.switches.set(tid, (b = new SwitchTableBuilder()));
    return b;
  }

  /**
   * Attaches switches and off-CPU intervals to the threads (their sample tables finished, times
   * relative to `start`) and freezes the markers (those without a time at `end`). Switch records, where the recording has any,
   * give the times; sched_switch samples otherwise. A tid reused by a later thread stays with
   * the first.
   */
  finish(
    start: Nanoseconds,
    end: Nanoseconds,
    threads: ThreadInfo[],
  ): { markers: MarkerTable; switchSource?: SwitchSource; notKept: number } {
    let source: SwitchSource | undefined;
    for (const b of this.switches.values()) {
      if (b.bySource[SwitchSource.SWITCH_RECORD]! > 0) source = SwitchSource.SWITCH_RECORD;
      else if (b.bySource[SwitchSource.SCHED_SWITCH]! > 0) source ??= SwitchSource.SCHED_SWITCH;
    }
    const trackOfTid = new Map<number, number>();
    threads.forEach((th, i) => {
      if (!trackOfTid.has(th.tid)) trackOfTid.set(th.tid, i);
    });
    if (source !== undefined) {
      for (const [tid, b] of this.switches) {
        const th = threads[trackOfTid.get(tid) ?? -1];
        if (!th || b.bySource[source] === 0) continue;
        th.switches = b.finish(start, source);
        th.offCpu = offCpuIntervals(th.switches, th.samples);
      }
    }
    const markers = this.markers.finish(start, end, (_pid, tid) =>
      tid > 0 ? (trackOfTid.get(tid) ?? -1) : -1,
    );
    return { markers, switchSource: source, notKept: this.markers.notKept + this.switchesNotKept };
  }
}
