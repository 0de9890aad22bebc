import type { EventInfo, MergeStatus, Nanoseconds, RecordingMeta } from '../model';

/**
 * The typed contract between the session (which holds the whole profile) and its clients (the
 * renderer, the served mode's browser client, tests). Answers are sized to the screen: bins per
 * pixel column, flame nodes wider than a pixel, samples a page at a time. Bulk numbers travel as
 * typed arrays.
 */
export const PROTOCOL_VERSION = 1;

export interface SymbolSettings {
  /** Look every binary and debug file up under this directory (perf --symfs). */
  symfs?: string;
  /** A copy of the recording machine's /proc/kallsyms (perf --kallsyms). */
  kallsyms?: string;
  /** Build-id cache directory (perf --buildid-dir); default ~/.debug. */
  buildidDir?: string;
  /** Demangle C++ and Rust names (default true). */
  demangle?: boolean;
  /**
   * More folders to look for source files in (annotate), separated by ':'. A file named in the
   * debug information is looked for under symfs, at its own path, then under each folder (with
   * its whole path, then by its base name).
   */
  sourcePath?: string;
}

export interface OpenRequest {
  path: string;
  symbols?: SymbolSettings;
}

/**
 * What an aggregate view weighs: sample counts, summed periods, or off-CPU nanoseconds (each
 * off-CPU interval, clipped to the time range, on the thread's stack at its switch-out; the
 * event filter does not apply: intervals come from switches, not from an event's samples).
 */
export type Weight = 'samples' | 'period' | 'off-cpu';

/** Which part of the profile a query looks at. Every field is optional. */
export interface Filters {
  /** Event index; default: the event with the most samples. */
  event?: number;
  /** Thread indexes (positions in `threads()`); default: all. */
  threads?: number[];
  /** Process ids; default: all. Combined with `threads` as an intersection. */
  pids?: number[];
  /** Time range, ns relative to the profile start, end exclusive; default: everything. */
  range?: { start: Nanoseconds; end: Nanoseconds };
  /** Show deferred user stacks merged (default, perf 6.19) or as recorded. */
  merge?: boolean;
  /** Keep only user or only kernel frames. */
  frames?: 'all' | 'user' | 'kernel';
  /** Transforms applied, in order, to every sample's stack before any answer is made. */
  transforms?: Transform[];
  /** Only samples (and off-CPU intervals) on these CPUs; default: all. */
  cpus?: number[];
}

/**
 * The transforms of a sample's stack (root first), Firefox Profiler's, with these exact
 * semantics (F matches every function of that name, as `perfws script` prints it):
 * - focus-function: samples whose stack holds F keep the part from F's root-most occurrence to
 *   the leaf; other samples are dropped.
 * - focus-subtree: samples whose stack starts with `path` (root first) keep the part from its
 *   last function down; others are dropped. Inverted: the path is read from the leaf, and the
 *   part from the root to the path's last function is kept.
 * - merge-function: every F frame is removed (callees attach to the caller, self time goes to it).
 * - drop-function: samples whose stack holds F are dropped.
 * - collapse-recursion: the frames after the root-most F up to and including the leaf-most F are
 *   removed (indirect recursion included).
 * - collapse-direct-recursion: each run of consecutive F frames becomes one.
 * - collapse-library: each run of consecutive frames of library `name` (its file name, e.g.
 *   libc.so.6) becomes one frame named after the library.
 * A stack emptied by transforms keeps its sample, attributed to the thread alone.
 */
export type Transform =
  | { kind: Exclude<TransformKind, 'focus-subtree'>; name: string }
  | { kind: 'focus-subtree'; path: string[]; inverted?: boolean };

export const TRANSFORM_KINDS = [
  'focus-function',
  'focus-subtree',
  'merge-function',
  'drop-function',
  'collapse-recursion',
  'collapse-direct-recursion',
  'collapse-library',
] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

/** Bounds on what a client may ask for (a URL or a peer controls transforms). */
export const TRANSFORM_LIMITS = { count: 32, nameLength: 4096, pathLength: 512 } as const;

export interface RecordingSummary {
  meta: RecordingMeta;
  events: EventInfo[];
  /** The event queries use by default. */
  defaultEvent: number;
  threads: number;
  processes: number;
}

export interface ThreadSummary {
  /** Position in this list: what `Filters.threads` takes. */
  index: number;
  tid: number;
  pid: number;
  name: string;
  processName: string;
  /** Every name the thread had, with the time it took effect. */
  comms: { time: Nanoseconds; name: string }[];
  /** Samples of every event. */
  samples: number;
  /** Samples per event: what a view that shows one event counts. */
  samplesByEvent: number[];
  /** Sum of periods per event (ns of CPU for cpu-clock/task-clock). */
  periodByEvent: number[];
  firstSample: Nanoseconds;
  lastSample: Nanoseconds;
  /**
   * Its CALLCHAIN_DEFERRED records; absent while the recording's are not all read
   * (meta.deferredRecordsLater: the first sample page with merging off reads them).
   */
  deferredRecords?: number;
  /** Samples left unmerged (user stack unavailable). */
  unmerged: number;
  /** Unmerged samples per event. */
  unmergedByEvent: number[];
  /** From the thread's context switches, when the recording has them. */
  switches?: ThreadSwitchSummary;
}

/** A thread's time on and off the CPU, from its switches (ns). */
export interface ThreadSwitchSummary {
  /** From each switch-in to the next switch-out. */
  onCpu: Nanoseconds;
  /** The off-CPU intervals' total, and by cause. */
  offCpu: Nanoseconds;
  voluntary: Nanoseconds;
  preempted: Nanoseconds;
  intervals: number;
  /** Which stack the intervals were attributed to: sched_switch samples, last sample, none. */
  stackFromSchedSwitch: number;
  stackFromLastSample: number;
  withoutStack: number;
  /** 'switch records' (--switch-events) or 'sched_switch samples'. */
  source: 'switch records' | 'sched_switch samples';
}

export interface TimelineQuery {
  filters: Filters;
  /** Number of bins (pixel columns). */
  bins: number;
  /** What a bin holds: sample counts (default) or summed periods. */
  weight?: 'samples' | 'period';
  /** A call node (as CallNodeQuery's path) whose samples are also binned, as `highlight`. */
  highlight?: { path: number[]; inverted?: boolean };
}

export interface TimelineAnswer {
  start: Nanoseconds;
  end: Nanoseconds;
  /**
   * One row per requested thread (or every thread with samples). `offCpu`: the share of each
   * bin (0 to 1) the thread spent off the CPU, when it has switches.
   */
  rows: {
    thread: number;
    bins: Float64Array;
    total: number;
    highlight?: Float64Array;
    offCpu?: Float64Array;
  }[];
  /** Largest bin over all rows (for a shared scale). */
  max: number;
}

export interface SamplePageQuery {
  thread: number;
  filters: Filters;
  offset: number;
  limit: number;
  /** Only the samples whose deferred-callchain merge went this way (all when absent). */
  mergeStatus?: MergeStatusFilter;
}

/** The sample list's merge-status filter: classic, merged, or unmerged (either reason). */
export const MERGE_STATUS_FILTERS = ['classic', 'merged', 'unmerged'] as const;
export type MergeStatusFilter = (typeof MERGE_STATUS_FILTERS)[number];

/** What the sample list calls each MergeStatus (src/shared/model), by its value. */
export const SampleStatusName = [
  'classic',
  'merged',
  'unmerged: cookie mismatch',
  'unmerged: end of recording',
  'deferred, as recorded',
] as const;

export interface SampleRow {
  /** Index of the sample in its thread (stable id). */
  index: number;
  time: Nanoseconds;
  cpu: number;
  event: number;
  period: number;
  /** How its user stack came to be (never DEFERRED_RAW: the model always merges). */
  status: MergeStatus;
  /** The innermost frame's function, or "" for a sample without stack. */
  leaf: string;
  leafLib: string;
  /** The stack to expand with `callchain()`; -1 when the sample has none. */
  stack: number;
  /** A tracepoint sample's payload as perf script prints it after the event name. */
  trace?: string;
}

export interface SamplePage {
  /** Samples of the thread that pass the filters. */
  total: number;
  offset: number;
  rows: SampleRow[];
  /** With merging off: the thread's CALLCHAIN_DEFERRED records in the range, by time. */
  deferredRecords?: { time: Nanoseconds; cookie: string; stack: number; mergedInto: number }[];
}

export interface CallchainFrame {
  /** Function index (what other queries take). */
  func: number;
  name: string;
  lib: string;
  /** Address as perf prints it in hex (library-relative for user libraries). */
  address: string;
  /** True when `address` is an offset in `lib` (perf's map_ip), false when it is absolute. */
  libRelative?: boolean;
  /** Offset in the symbol, -1 when unresolved. */
  offset: number;
  kind: 'user' | 'kernel' | 'unmerged' | 'deferred';
  unresolved: boolean;
}

export interface FlameGraphQuery {
  filters: Filters;
  /** Function path from the root to the zoomed-in node; empty or absent: the whole tree. */
  focus?: number[];
  /** Pixel width of the view: nodes narrower than a pixel are folded away. */
  width: number;
  /**
   * RE2 regular expression, case-insensitive, at most 1000 characters (shared/policy/
   * search-pattern.ts): nodes whose function matches are flagged.
   */
  search?: string;
  /** What a node's width measures (default: period). */
  weight?: Weight;
}

/** A flame graph laid out for one view, as columns (one entry per visible node). */
export interface FlameGraphAnswer {
  /** Weight of the focused node (the view's 100 %). */
  total: number;
  /** Weight of the whole tree (for percentages of everything). */
  rootTotal: number;
  depth: Uint16Array;
  /** Left edge and width as fractions of the view. */
  x: Float64Array;
  w: Float64Array;
  func: Int32Array;
  self: Float64Array;
  nodeTotal: Float64Array;
  /** 1 when the node matches the search. */
  match: Uint8Array;
  /** Function names, kinds and libraries by func index (only those used). */
  funcs: Record<number, { name: string; lib: string; kind: CallchainFrame['kind'] }>;
  /** The path actually focused (empty when the focus no longer exists). */
  focus: number[];
  /** Summed weight of all matching nodes' totals (outermost matches only). */
  matchTotal: number;
  maxDepth: number;
}

export interface FlameChartQuery {
  thread: number;
  filters: Filters;
  width: number;
}

/** Stacks over time for one thread: boxes per depth, merged where consecutive samples agree. */
export interface FlameChartAnswer {
  start: Nanoseconds;
  end: Nanoseconds;
  depth: Uint16Array;
  boxStart: Float64Array;
  boxEnd: Float64Array;
  func: Int32Array;
  funcs: Record<number, { name: string; lib: string; kind: CallchainFrame['kind'] }>;
  maxDepth: number;
}

export interface TopFunctionsQuery {
  filters: Filters;
  limit: number;
  sortBy?: 'self' | 'total';
  weight?: Weight;
  /** Regular expression: only functions whose name matches (the search results list). */
  search?: string;
}

export interface TopFunctionRow {
  func: number;
  name: string;
  lib: string;
  kind: CallchainFrame['kind'];
  self: number;
  total: number;
}

export interface TopFunctionsAnswer {
  total: number;
  rows: TopFunctionRow[];
}

export interface CallersQuery {
  filters: Filters;
  func: number;
  weight?: Weight;
  /** Deepest caller level returned. */
  maxDepth?: number;
}

/** A bottom-up tree (the function, then who called it), flattened depth first. */
export interface CallersAnswer {
  total: number;
  nodes: { depth: number; func: number; name: string; lib: string; total: number }[];
}

export interface CallTreeQuery {
  filters: Filters;
  /** Bottom-up: roots are the functions where time was spent, children their callers. */
  inverted?: boolean;
  weight?: Weight;
  sortBy?: 'total' | 'self';
  /** Call node paths (function indexes from the tree's root) whose children are shown. */
  expanded: number[][];
  /** Also expand the hottest path below this node (the `*` key); the answer names it. */
  expandHottest?: number[];
  /** Also expand the way to this function's heaviest node (search, "show in call tree"). */
  reveal?: number;
}

/**
 * The visible rows of a call tree, depth first in display order (children by weight), as
 * columns. A row's path is its parent row's path plus its own function.
 */
export interface CallTreeAnswer {
  /** Weight of every sample that passed the filters and transforms (the 100 %). */
  total: number;
  depth: Uint16Array;
  func: Int32Array;
  /** Row index of the parent, -1 for a root. */
  parent: Int32Array;
  self: Float64Array;
  nodeTotal: Float64Array;
  /** Number of children (0: a leaf, nothing to expand). */
  children: Int32Array;
  funcs: Record<number, { name: string; lib: string; kind: CallchainFrame['kind'] }>;
  /** The hottest path asked for with `expandHottest`, root first (every prefix is expanded). */
  hottestPath?: number[];
  /** The path of the node `reveal` asked for (its ancestors are expanded). */
  revealedPath?: number[];
  /** True when the rows were cut at the row limit. */
  truncated: boolean;
}

export interface CallNodeQuery {
  filters: Filters;
  inverted?: boolean;
  weight?: Weight;
  path: number[];
}

/** What the sidebar shows about one call node. */
export interface CallNodeInfo {
  /** Empty name when the path does not exist under these filters. */
  name: string;
  lib: string;
  libPath: string;
  kind: CallchainFrame['kind'];
  total: number;
  self: number;
  /** Of `total`: samples whose innermost (as recorded, untransformed) frame is in the kernel. */
  kernel: number;
  user: number;
  /** Samples through the node (counts, not weights). */
  samples: number;
  /** Of those: how their user stacks came to be, by SampleStatusName. */
  status: number[];
}

/** What an export writes: folded stacks (text), a gzipped pprof profile, a speedscope file. */
export type ExportFormat = 'folded' | 'pprof' | 'speedscope';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['folded', 'pprof', 'speedscope'];

export interface FoldedExportOptions {
  filters: Filters;
  /**
   * Default folded. pprof's bytes travel as base64 `chunk` strings (the folded flags below only
   * shape folded text).
   */
  format?: ExportFormat;
  /** Prefix stacks with comm-pid (and /tid), like stackcollapse-perf.pl --pid / --tid. */
  pid?: boolean;
  tid?: boolean;
  /** Annotate kernel frames with _[k] (stackcollapse --kernel). */
  kernelAnnotate?: boolean;
  /** Unresolved frames as their address instead of [library] (stackcollapse --addrs). */
  addresses?: boolean;
  weight?: Weight;
  /**
   * Fold every event's samples together. Default: only the filters' event, except for
   * recordings of tracepoints only, where stackcollapse-perf.pl folds them all (perf script
   * prints their payload, so it cannot tell their events apart).
   */
  allEvents?: boolean;
}

export interface AnnotateQuery {
  /** The samples to count (the event, threads, time range). */
  filters: Filters;
  /** The function, as the other answers number it. */
  func: number;
}

export interface AnnotatedInstruction {
  /** Address as objdump prints it (hex without 0x: the file's virtual address). */
  address: string;
  /** Mnemonic and operands as objdump prints them. */
  text: string;
  /** Samples (and their summed period) whose ip is in this instruction's bytes. */
  samples: number;
  period: number;
  /** The instruction this one jumps to, as an index into `instructions`; -1 for none. */
  jump: number;
  /** Index into `sources`, -1 when the debug information has no line for it. */
  source: number;
  line: number;
  /** The function the line belongs to when it is not the annotated one (inlined code). */
  inlined?: string;
}

export interface AnnotatedSource {
  /** The file as the debug information names it. */
  path: string;
  /** Where it was found; absent when it was not (then `lines` is empty). */
  foundAt?: string;
  /** `lines[0]` is line `firstLine` (1-based): the lines around the function's. */
  firstLine: number;
  lines: string[];
  /** Per source line with instructions: their summed samples and period. */
  lineTotals: { line: number; samples: number; period: number }[];
}

/** One function disassembled, with the samples of the filters at each instruction. */
export interface AnnotateAnswer {
  func: number;
  /** The function's name; `symbol` is what was disassembled (its caller for inlined code). */
  name: string;
  symbol: string;
  lib: string;
  /** The binary objdump read. */
  file?: string;
  /** Samples and period whose ip is in the symbol (100 % of the percentages). */
  samples: number;
  period: number;
  instructions: AnnotatedInstruction[];
  sources: AnnotatedSource[];
  /** Why there is no disassembly (a kernel function without vmlinux, no binary, no objdump). */
  unavailable?: string;
  /** The function had more instructions than an answer carries; the rest is left out. */
  truncated?: boolean;
}

export const MARKER_KINDS = [
  'lost-events',
  'lost-samples',
  'comm',
  'exec',
  'mmap',
  'tracepoint',
] as const;
/** A marker kind by name (MarkerKind's order), plus context switches. */
export type MarkerKindName = (typeof MARKER_KINDS)[number] | 'switch';

export interface MarkersQuery {
  /** The range and threads (pids) to look at; other filters do not apply to markers. */
  filters: Filters;
  /** Pixel columns of the lane. */
  bins: number;
  /** Kinds to answer; default: all. */
  kinds?: MarkerKindName[];
  /** Most markers listed one by one (default and at most 2000); beyond it only counts. */
  limit?: number;
}

export interface MarkerRow {
  kind: MarkerKindName;
  time: Nanoseconds;
  /** Thread track, -1 when none. */
  thread: number;
  pid: number;
  tid: number;
  cpu: number;
  /** Lost events or samples. */
  count: number;
  /** A short label: the name, file or event. */
  label: string;
  /** Details for the tooltip: path, formatted tracepoint fields. */
  detail: string;
  /** A switch: out (with its cause) or in. */
  switchOut?: boolean;
  preempted?: boolean;
}

export interface MarkersAnswer {
  start: Nanoseconds;
  end: Nanoseconds;
  /** Markers per bin for each kind with any in the range (the lane's aggregate view). */
  lanes: { kind: MarkerKindName; bins: Uint32Array; total: number }[];
  /** The markers one by one, by time, when at most `limit` are in the range. */
  rows: MarkerRow[];
  /** More than `limit` markers: `rows` is empty, draw `lanes`. */
  aggregated: boolean;
  /**
   * Context switches per thread track: counts per bin, and one by one (`rows`, of kind switch)
   * when the thread's switches are at least 4 bins apart on average (at most 5 × `limit` rows
   * over all threads).
   */
  switches: { thread: number; bins: Uint32Array; total: number; rows?: MarkerRow[] }[];
}

export interface CpuTracksQuery {
  filters: Filters;
  bins: number;
}

/** Per CPU: samples per bin and the thread with the most samples in each bin (-1: none). */
export interface CpuTracksAnswer {
  start: Nanoseconds;
  end: Nanoseconds;
  rows: { cpu: number; bins: Float64Array; thread: Int32Array; total: number }[];
  max: number;
}

export interface SampleAtQuery {
  thread: number;
  /** The time under the cursor. */
  time: Nanoseconds;
  /** Event, merge, range, cpus as everywhere (transforms and frames do not apply). */
  filters: Filters;
  /** Frames returned from the leaf (default and at most 32). */
  maxFrames?: number;
  /** Only samples of this merge status, as the sample list filters them (so `row` is its row). */
  mergeStatus?: MergeStatusFilter;
}

/** The sample nearest a time: what the timeline's hover shows. */
export interface SampleAtAnswer {
  /** Index in the thread's samples (a sample row's `index`). */
  index: number;
  /** Its position in the sample list under the same filters (the list's offset to show it). */
  row: number;
  time: Nanoseconds;
  thread: number;
  tid: number;
  cpu: number;
  event: number;
  period: number;
  /** SampleStatusName index. */
  status: number;
  /** Leaf first, at most maxFrames. */
  frames: CallchainFrame[];
  /** Frames in the whole stack. */
  depth: number;
  /** The stack (merged or as recorded, per the filters) for `callchain()`; -1: none. */
  stack: number;
}

/** Progress of a long operation, sent as `progress` events of the call. */
export interface Progress {
  phase: 'reading' | 'building' | 'exporting';
  done: number;
  total: number | undefined;
}

/**
 * The session's service. Every method may be cancelled; `open` and `exportFolded` report
 * `progress` events, `exportFolded` also sends the text as `chunk` events (strings) so a huge
 * export never sits in memory.
 */
export interface SessionApi {
  hello(): Promise<{ protocol: number; pid: number }>;
  open(request: OpenRequest): Promise<RecordingSummary>;
  summary(): Promise<RecordingSummary>;
  threads(): Promise<ThreadSummary[]>;
  timeline(query: TimelineQuery): Promise<TimelineAnswer>;
  samples(query: SamplePageQuery): Promise<SamplePage>;
  callchain(stack: number): Promise<CallchainFrame[]>;
  flameGraph(query: FlameGraphQuery): Promise<FlameGraphAnswer>;
  flameChart(query: FlameChartQuery): Promise<FlameChartAnswer>;
  topFunctions(query: TopFunctionsQuery): Promise<TopFunctionsAnswer>;
  callers(query: CallersQuery): Promise<CallersAnswer>;
  callTree(query: CallTreeQuery): Promise<CallTreeAnswer>;
  callNode(query: CallNodeQuery): Promise<CallNodeInfo>;
  /** Disassembly of a function with per-instruction samples (runs objdump in the session). */
  annotate(query: AnnotateQuery): Promise<AnnotateAnswer>;
  exportFolded(options: FoldedExportOptions): Promise<{ lines: number; bytes: number }>;
  /** The marker lane and per-thread context switches of a time range. */
  markers(query: MarkersQuery): Promise<MarkersAnswer>;
  /** Per-CPU tracks (recordings whose samples carry the CPU). */
  cpuTracks(query: CpuTracksQuery): Promise<CpuTracksAnswer>;
  /** The sample of a thread nearest a time, with its stack's top frames; null when none. */
  sampleAt(query: SampleAtQuery): Promise<SampleAtAnswer | null>;
}

export type SessionMethod = keyof SessionApi;
export const SESSION_METHODS: readonly SessionMethod[] = [
  'hello',
  'open',
  'summary',
  'threads',
  'timeline',
  'samples',
  'callchain',
  'flameGraph',
  'flameChart',
  'topFunctions',
  'callers',
  'callTree',
  'callNode',
  'annotate',
  'exportFolded',
  'markers',
  'cpuTracks',
  'sampleAt',
];

/** What a renderer may call: never `open` (a renderer must not name a path to read). */
export const RENDERER_METHODS: readonly SessionMethod[] = SESSION_METHODS.filter(
  (m) => m !== 'open',
);
