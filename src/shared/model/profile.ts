import type {
  EventInfo,
  FrameTable,
  FuncTable,
  LibTable,
  Nanoseconds,
  StackTable,
  ThreadInfo,
} from './tables';
import type { MarkerTable, SwitchSource } from './timeline-tables';

/** How the deferred-callchain merge went (perf 6.19's rules), for the summary. */
export interface MergeSummary {
  deferredSamples: number;
  merged: number;
  unmergedCookieMismatch: number;
  unmergedEndOfSession: number;
  deferredRecords: number;
  recordsSharedBySeveralSamples: number;
  recordsMatchingNothing: number;
}

/** A library without symbols, reported so the user knows what to copy or install. */
export interface UnresolvedLib {
  path: string;
  buildId?: string;
  /** How many sample frames fell in it. */
  frames: number;
}

export interface RecordingMeta {
  path: string;
  fileSize: number;
  pipe: boolean;
  hostname?: string;
  osRelease?: string;
  perfVersion?: string;
  arch?: string;
  nrCpus?: number;
  cpuDesc?: string;
  cmdline?: string;
  /** Absolute time of the profile's time 0 (the first sample), ns since boot, as a decimal string. */
  startTime: string;
  /** From the first to the last sample. */
  duration: Nanoseconds;
  samples: number;
  lostEvents: number;
  lostSamples: number;
  merge: MergeSummary;
  unresolvedLibs: UnresolvedLib[];
  warnings: { message: string; offset: number }[];
  /** Where the threads' switches came from (absent: the recording has none). */
  switchSource?: SwitchSource;
  /** Markers beyond the kept number (MAX_MARKERS) and tracepoint texts not kept. */
  markersNotKept?: number;
  /**
   * false: loaded without the merging-off view (a command showing merged stacks only): the
   * stacks as recorded and the consumed CALLCHAIN_DEFERRED records were not kept.
   */
  rawView?: false;
  /**
   * true: the consumed CALLCHAIN_DEFERRED records that merged into samples are not in the
   * threads' deferredRecords yet (the session reads them again when first asked for); those that
   * merged into none are.
   */
  deferredRecordsLater?: true;
  /** Set when the file ended early or was corrupt: everything before it was loaded. */
  truncatedAt?: number;
  error?: string;
}

/** A loaded recording: one set of shared tables, samples per thread. */
export interface Profile {
  meta: RecordingMeta;
  strings: string[];
  libs: LibTable;
  funcs: FuncTable;
  frames: FrameTable;
  stacks: StackTable;
  threads: ThreadInfo[];
  events: EventInfo[];
  /** Lost data, renames, exec, new libraries, tracepoint events; absent in older models. */
  markers?: MarkerTable;
}
