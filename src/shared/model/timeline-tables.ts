/**
 * What the timeline shows besides samples: when each thread left and took the CPU (context
 * switches), the off-CPU intervals derived from them, and markers (lost data, renames, exec,
 * new libraries, tracepoint events). Built by src/session/model/timeline-collector.ts, frozen
 * like the other tables.
 */

/** Why a thread left the CPU. */
export const OffCpuCause = {
  /** It blocked (sleep, wait, I/O): not runnable when it went. */
  VOLUNTARY: 0,
  /** Still runnable: the scheduler took the CPU away (SWITCH_OUT_PREEMPT, prev_state R or R+). */
  PREEMPTED: 1,
} as const;
export type OffCpuCause = (typeof OffCpuCause)[keyof typeof OffCpuCause];

/** Where a thread's switches came from. */
export const SwitchSource = {
  /** PERF_RECORD_SWITCH / SWITCH_CPU_WIDE (`perf record --switch-events`). */
  SWITCH_RECORD: 0,
  /** `sched:sched_switch` samples: prev_pid left, next_pid came. */
  SCHED_SWITCH: 1,
} as const;
export type SwitchSource = (typeof SwitchSource)[keyof typeof SwitchSource];

/**
 * One thread's context switches, by time (perf's delivery order). Where a recording has switch
 * records, they alone give the times; `sched_switch` samples then only lend their stacks.
 */
export interface SwitchTable {
  length: number;
  time: Float64Array; // Nanoseconds
  /** 1: switched out, 0: switched in. */
  out: Uint8Array;
  /** OffCpuCause of a switch-out (0 for a switch-in). */
  cause: Uint8Array;
  /** The CPU it left or took; -1 when the record carries none. */
  cpu: Int32Array;
  /** A switch-out's stack from its sched_switch sample (merged, as recorded); -1: none. */
  stack: Int32Array; // IndexIntoStackTable | -1
  rawStack: Int32Array; // IndexIntoStackTable | -1
}

/** Which stack an off-CPU interval is attributed to. */
export const OffCpuStackSource = {
  /** The callchain of the sched_switch sample at the switch-out (where the thread blocked). */
  SCHED_SWITCH: 0,
  /** The stack of the thread's last sample before the switch-out. */
  LAST_SAMPLE: 1,
  /** Neither exists: the interval counts for the thread alone. */
  NONE: 2,
} as const;
export type OffCpuStackSource = (typeof OffCpuStackSource)[keyof typeof OffCpuStackSource];

/**
 * One thread's off-CPU intervals, by start: from a switch-out to the thread's next switch-in.
 * A switch-out followed by another switch-out (the switch-in was not recorded), or by the end of
 * the thread or recording, starts no interval.
 */
export interface OffCpuTable {
  length: number;
  start: Float64Array; // Nanoseconds
  end: Float64Array; // Nanoseconds
  cause: Uint8Array; // OffCpuCause
  /** The CPU it left. */
  cpu: Int32Array;
  stack: Int32Array; // IndexIntoStackTable | -1
  rawStack: Int32Array; // IndexIntoStackTable | -1
  stackSource: Uint8Array; // OffCpuStackSource
}

/** What a marker is. */
export const MarkerKind = {
  /** PERF_RECORD_LOST: events the kernel could not write (count). */
  LOST_EVENTS: 0,
  /** PERF_RECORD_LOST_SAMPLES: samples dropped (count). */
  LOST_SAMPLES: 1,
  /** A thread renamed itself (prctl, pthread_setname_np): the new name. */
  COMM: 2,
  /** exec: the new program's name. */
  EXEC: 3,
  /** An executable file mapped while recording (dlopen, a loader at exec): its path. */
  MMAP: 4,
  /** A tracepoint sample: the event and its formatted fields. */
  TRACEPOINT: 5,
} as const;
export type MarkerKind = (typeof MarkerKind)[keyof typeof MarkerKind];

/** Every marker of the recording, by time. */
export interface MarkerTable {
  length: number;
  time: Float64Array; // Nanoseconds
  kind: Uint8Array; // MarkerKind
  /** The thread's track, -1 when the thread has none (no samples) or the marker has no thread. */
  thread: Int32Array; // IndexIntoThreadTable | -1
  pid: Int32Array; // -1 when unknown
  tid: Int32Array; // -1 when unknown
  cpu: Int32Array; // -1 when unknown
  /** Lost events or samples; 0 for other kinds. */
  count: Float64Array;
  /** The name, path or formatted fields; -1 when not kept (see RecordingMeta.markersNotKept). */
  text: Int32Array; // IndexIntoStringTable | -1
  /** A tracepoint's event, -1 for other kinds. */
  event: Int32Array; // IndexIntoEventTable | -1
}
