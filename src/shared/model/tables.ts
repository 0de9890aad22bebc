/**
 * The columnar profile model: struct-of-arrays tables, each column documented with its unit and
 * sentinel. Built once per recording by the session (src/session/model/model-builder.ts), frozen
 * after the load, queried by src/session/query/.
 *
 * Stacks are prefix-encoded, root first. A worked example, for two samples
 * `main -> work -> hash` and `main -> work -> sqrt`:
 *
 *   frames: 0 main, 1 work, 2 hash, 3 sqrt
 *   stacks: index  frame  prefix
 *             0      0     -1      main
 *             1      1      0      main;work
 *             2      2      1      main;work;hash     <- sample 1
 *             3      3      1      main;work;sqrt     <- sample 2
 *
 * A stack's prefix index is always smaller than its own index, so one pass in index order (or
 * its reverse) visits callers before (after) callees.
 */

import type { OffCpuTable, SwitchTable } from './timeline-tables';

/** Index types: plain numbers, named so signatures say which table they point into. */
export type IndexIntoStringTable = number;
export type IndexIntoLibTable = number;
export type IndexIntoFuncTable = number;
export type IndexIntoFrameTable = number;
export type IndexIntoStackTable = number;
export type IndexIntoThreadTable = number;
export type IndexIntoEventTable = number;

/** Nanoseconds relative to the profile's `startTime` (exact doubles). */
export type Nanoseconds = number;

/** What a library is. */
export const LibKind = {
  FILE: 0,
  KERNEL: 1,
  MODULE: 2,
  VDSO: 3,
  JIT: 4,
  ANON: 5,
  /** Frames the workstation adds: "user stack unavailable", deferred cookies. */
  SYNTHETIC: 6,
} as const;
export type LibKind = (typeof LibKind)[keyof typeof LibKind];

/** Libraries (perf's DSOs). */
export interface LibTable {
  length: number;
  /** Short name: the file's base name, `[kernel.kallsyms]`, `[vdso]`. */
  name: Int32Array; // IndexIntoStringTable
  /** Full path as recorded (or the pseudo name). */
  path: Int32Array; // IndexIntoStringTable
  /** Lower-case hex build-id, or -1 when the recording has none. */
  buildId: Int32Array; // IndexIntoStringTable | -1
  kind: Uint8Array; // LibKind
  /** 1 when no symbols were found for it. */
  unresolved: Uint8Array;
}

/** What a function is, for colouring and filtering. */
export const FuncKind = {
  USER: 0,
  KERNEL: 1,
  /** "[user stack unavailable: …]": a deferred sample whose user stack never arrived. */
  UNMERGED: 2,
  /** "[deferred user stack]": with merging off, where the user stack would go. */
  DEFERRED_COOKIE: 3,
} as const;
export type FuncKind = (typeof FuncKind)[keyof typeof FuncKind];

/** Functions: a symbol of a library, or `[unknown]` of a library for unresolved addresses. */
export interface FuncTable {
  length: number;
  name: Int32Array; // IndexIntoStringTable
  lib: Int32Array; // IndexIntoLibTable | -1 (no map: the address fell in no mapping)
  kind: Uint8Array; // FuncKind
  /** 1 when the name is not a symbol but `[unknown]`. */
  unresolved: Uint8Array;
}

/** Frames: one address in one function. */
export interface FrameTable {
  length: number;
  func: Int32Array; // IndexIntoFuncTable
  /**
   * Address: library-relative (perf's map_ip) for user-space libraries, absolute for the
   * kernel, modules and addresses in no mapping; in the signed encoding (kernel addresses are
   * negative, see src/session/perf-data/u64.ts), NaN for synthetic frames.
   */
  address: Float64Array;
  /** Offset of the address in its symbol (bytes), -1 when unresolved. */
  symbolOffset: Float64Array;
}

/** Stacks: prefix-encoded, root first (see the example above). */
export interface StackTable {
  length: number;
  frame: Int32Array; // IndexIntoFrameTable
  prefix: Int32Array; // IndexIntoStackTable | -1 for a root
  depth: Int32Array; // 0 for a root
}

/**
 * How a sample's user stack came to be (perf 6.19's deferred-callchain merge). One enum for the
 * merge, the model, the contract and the views.
 */
export const MergeStatus = {
  /** No deferral: the callchain is as recorded (or there is none). */
  CLASSIC: 0,
  /** A deferred sample merged with its PERF_RECORD_CALLCHAIN_DEFERRED record's user stack. */
  MERGED: 1,
  /** A record of the same thread with another cookie came first. */
  UNMERGED_COOKIE_MISMATCH: 2,
  /** Still waiting for its record at the end of the session (the recording ended first). */
  UNMERGED_END_OF_SESSION: 3,
  /**
   * Merging is off: the sample as recorded, ending in [USER_DEFERRED, cookie]. Only the merge's
   * consumers with merging off see it (perf script, inject); the model always merges.
   */
  DEFERRED_RAW: 4,
} as const;
export type MergeStatus = (typeof MergeStatus)[keyof typeof MergeStatus];

/** Whether a sample's user stack never arrived. */
export function isUnmerged(status: number): boolean {
  return (
    status === MergeStatus.UNMERGED_COOKIE_MISMATCH ||
    status === MergeStatus.UNMERGED_END_OF_SESSION
  );
}

/** One thread's samples, sorted by time. */
export interface SampleTable {
  length: number;
  time: Float64Array; // Nanoseconds
  /** The callchain with deferred user stacks merged (perf 6.19's default view). */
  stack: Int32Array; // IndexIntoStackTable | -1 (no callchain and no ip)
  /** The callchain as recorded (merging off): deferred samples end in a cookie frame. */
  rawStack: Int32Array; // IndexIntoStackTable | -1
  cpu: Int32Array; // -1 when the samples carry no CPU
  /** perf's period: nanoseconds for cpu-clock/task-clock, events for hardware counters. */
  period: Float64Array;
  event: Uint16Array; // IndexIntoEventTable
  status: Uint8Array; // MergeStatus (never DEFERRED_RAW)
}

/** PERF_RECORD_CALLCHAIN_DEFERRED records of one thread (shown when merging is off). */
export interface DeferredRecordTable {
  length: number;
  time: Float64Array; // Nanoseconds
  /** The record's user stack (its ips). */
  stack: Int32Array; // IndexIntoStackTable | -1 (nr = 0)
  /** The cookie's low and high 32 bits. */
  cookieLo: Uint32Array;
  cookieHi: Uint32Array;
  /** How many samples it was merged into. */
  mergedInto: Uint32Array;
}

export interface ThreadInfo {
  tid: number;
  pid: number;
  /** The names the thread had, oldest first, with the time each took effect. */
  comms: { time: Nanoseconds; name: string }[];
  /** The last name (what perf report shows). */
  name: string;
  /** The name of the process's main thread. */
  processName: string;
  samples: SampleTable;
  deferredRecords: DeferredRecordTable;
  /** Context switches (switch records or sched_switch samples); absent when there are none. */
  switches?: SwitchTable;
  /** Off-CPU intervals derived from the switches; absent when there are none. */
  offCpu?: OffCpuTable;
}

export interface EventInfo {
  name: string;
  /** perf_event_attr.type and config, for display. */
  type: number;
  config: string;
  samples: number;
  /** Sum of the periods of its samples. */
  totalPeriod: number;
  /** True when the period is time in nanoseconds (cpu-clock, task-clock). */
  periodIsTime: boolean;
}
