import { EXPORT_FORMATS, MERGE_STATUS_FILTERS } from '../shared/contract';
import type {
  CallNodeQuery,
  CallTreeQuery,
  AnnotateQuery,
  CallersQuery,
  Filters,
  FlameChartQuery,
  FlameGraphQuery,
  FoldedExportOptions,
  SamplePageQuery,
  TimelineQuery,
  TopFunctionsQuery,
  CpuTracksQuery,
  MarkersQuery,
  SampleAtQuery,
  Weight,
} from '../shared/contract';
import { MARKER_KINDS } from '../shared/contract';
import { SessionError } from '../shared/contract/errors';
import { MAX_SEARCH_PATTERN_LENGTH } from '../shared/policy/search-pattern';
import { checkTransforms } from '../shared/view-state/view-state';

/**
 * Every list and size a client puts in a SessionApi call, checked at the service boundary before
 * any query runs: a client chooses what a query costs, so each is typed, deduplicated and
 * bounded, and anything absurd is a `bad-request` naming the argument. (A timeline that named one
 * thread 1000 times used to answer 1000 copies of its row: 175 MB for a 2 KB request.)
 * What exists in the profile (thread, event, stack, function indexes) is checked by the queries.
 */
export const REQUEST_LIMITS = {
  /** Entries in a list argument (threads, pids, a flame graph's focus path). */
  listLength: 65_536,
  /** Timeline bins per row: pixel columns. */
  bins: 16_384,
  /** Timeline rows × bins in one answer (8 bytes each: 32 MB). */
  timelineCells: 1 << 22,
  /** Pixel width of a flame graph or flame chart: wider than any screen (tests ask for 100000). */
  width: 1 << 17,
  /** Rows of a sample page. */
  pageRows: 5_000,
  /** Rows of top functions. */
  topFunctions: 10_000,
  /** Levels of a callers tree. */
  callerDepth: 1_024,
  /** Markers listed one by one in a markers answer. */
  markerRows: 2_000,
  /** Pixel columns of the per-CPU tracks (rows × bins: at most 1024 CPUs × 4096). */
  cpuTrackBins: 4_096,
  /** Frames of a hovered sample's stack. */
  hoverFrames: 32,
} as const;

/** The checked query, with only the fields the contract names. */
export function checkTimelineQuery(q: unknown, threadCount: number): TimelineQuery {
  const o = object(q, 'timeline query');
  const filters = checkFilters(o.filters);
  const bins = integer(o.bins, 'timeline bins', 1, REQUEST_LIMITS.bins);
  const rows = filters.threads?.length ?? threadCount;
  if (rows * bins > REQUEST_LIMITS.timelineCells) {
    throw bad(
      `a timeline of ${rows} threads × ${bins} bins is more than ${REQUEST_LIMITS.timelineCells} cells: ask for fewer threads or bins`,
    );
  }
  const highlight = optional(o.highlight, (v) => callNodePath(v, 'timeline highlight'));
  const binWeight = optional(o.weight, (x) =>
    oneOf(x, 'timeline weight', ['samples', 'period'] as const),
  );
  return { filters, bins, weight: binWeight, highlight };
}

/** `switchThreads`: how many threads have context switches (a row of bins each). */
export function checkMarkersQuery(q: unknown, switchThreads: number): MarkersQuery {
  const o = object(q, 'markers query');
  const filters = checkFilters(o.filters);
  const bins = integer(o.bins, 'markers bins', 1, REQUEST_LIMITS.bins);
  const rows = Math.min(filters.threads?.length ?? switchThreads, switchThreads);
  if (rows * bins > REQUEST_LIMITS.timelineCells) {
    throw bad(
      `markers of ${rows} threads × ${bins} bins are more than ${REQUEST_LIMITS.timelineCells} cells: ask for fewer threads or bins`,
    );
  }
  return {
    filters,
    bins,
    kinds: optional(o.kinds, (v) => {
      if (!Array.isArray(v) || v.length > MARKER_KINDS.length + 1)
        throw bad('markers kinds must be a list of marker kinds');
      const names = [...MARKER_KINDS, 'switch'] as const;
      return [...new Set(v.map((k) => oneOf(k, 'markers kind', names)))];
    }),
    limit: optional(o.limit, (v) => integer(v, 'markers limit', 0, REQUEST_LIMITS.markerRows)),
  };
}

export function checkCpuTracksQuery(q: unknown): CpuTracksQuery {
  const o = object(q, 'CPU tracks query');
  return {
    filters: checkFilters(o.filters),
    bins: integer(o.bins, 'CPU tracks bins', 1, REQUEST_LIMITS.cpuTrackBins),
  };
}

export function checkSampleAtQuery(q: unknown): SampleAtQuery {
  const o = object(q, 'sample-at query');
  return {
    thread: index(o.thread, 'sample-at thread'),
    time: time(o.time, 'sample-at time'),
    filters: checkFilters(o.filters),
    maxFrames: optional(o.maxFrames, (v) =>
      integer(v, 'sample-at maxFrames', 1, REQUEST_LIMITS.hoverFrames),
    ),
    mergeStatus: optional(o.mergeStatus, (v) =>
      oneOf(v, 'sample-at merge status', MERGE_STATUS_FILTERS),
    ),
  };
}

/** A call node: its path of function indexes (recursion repeats them), top-down or inverted. */
function callNodePath(v: unknown, what: string): { path: number[]; inverted?: boolean } {
  const o = object(v, what);
  return {
    path: list(o.path, `${what} path`, false, index),
    inverted: optional(o.inverted, (x) => boolean(x, `${what} inverted`)),
  };
}

export function checkCallTreeQuery(q: unknown): CallTreeQuery {
  const o = object(q, 'call tree query');
  if (!Array.isArray(o.expanded)) throw bad('call tree expanded must be a list of paths');
  if (o.expanded.length > REQUEST_LIMITS.listLength) {
    throw bad(
      `call tree expanded has ${o.expanded.length} paths; at most ${REQUEST_LIMITS.listLength}`,
    );
  }
  return {
    filters: checkFilters(o.filters),
    inverted: optional(o.inverted, (v) => boolean(v, 'call tree inverted')),
    weight: weight(o.weight, 'call tree weight'),
    sortBy: optional(o.sortBy, (v) => oneOf(v, 'sortBy', ['self', 'total'] as const)),
    expanded: o.expanded.map((p: unknown) => list(p, 'call tree expanded path', false, index)),
    expandHottest: optional(o.expandHottest, (v) =>
      list(v, 'call tree expandHottest', false, index),
    ),
    reveal: optional(o.reveal, (v) => index(v, 'call tree reveal')),
  };
}

export function checkCallNodeQuery(q: unknown): CallNodeQuery {
  const o = object(q, 'call node query');
  const node = callNodePath(q, 'call node');
  return {
    filters: checkFilters(o.filters),
    weight: weight(o.weight, 'call node weight'),
    ...node,
  };
}

export function checkSamplePageQuery(q: unknown): SamplePageQuery {
  const o = object(q, 'sample page query');
  return {
    thread: index(o.thread, 'thread'),
    filters: checkFilters(o.filters),
    offset: index(o.offset, 'sample page offset'),
    limit: integer(o.limit, 'sample page limit', 0, REQUEST_LIMITS.pageRows),
    mergeStatus: optional(o.mergeStatus, (v) =>
      oneOf(v, 'sample merge status', MERGE_STATUS_FILTERS),
    ),
  };
}

export function checkFlameGraphQuery(q: unknown): FlameGraphQuery {
  const o = object(q, 'flame graph query');
  const search = optional(o.search, (v) => text(v, 'search pattern', MAX_SEARCH_PATTERN_LENGTH));
  return {
    filters: checkFilters(o.filters),
    // A focus is a path from the root: repeated functions are recursion, so no deduplication.
    focus: optional(o.focus, (v) => list(v, 'focus', false, index)),
    width: integer(o.width, 'flame graph width', 1, REQUEST_LIMITS.width),
    search,
    weight: weight(o.weight, 'flame graph weight'),
  };
}

export function checkFlameChartQuery(q: unknown): FlameChartQuery {
  const o = object(q, 'flame chart query');
  return {
    thread: index(o.thread, 'thread'),
    filters: checkFilters(o.filters),
    width: integer(o.width, 'flame chart width', 1, REQUEST_LIMITS.width),
  };
}

export function checkTopFunctionsQuery(q: unknown): TopFunctionsQuery {
  const o = object(q, 'top functions query');
  return {
    filters: checkFilters(o.filters),
    limit: integer(o.limit, 'top functions limit', 0, REQUEST_LIMITS.topFunctions),
    sortBy: optional(o.sortBy, (v) => oneOf(v, 'sortBy', ['self', 'total'] as const)),
    weight: weight(o.weight, 'top functions weight'),
    search: optional(o.search, (v) => text(v, 'search pattern', MAX_SEARCH_PATTERN_LENGTH)),
  };
}

export function checkCallersQuery(q: unknown): CallersQuery {
  const o = object(q, 'callers query');
  return {
    filters: checkFilters(o.filters),
    func: index(o.func, 'func'),
    weight: weight(o.weight, 'callers weight'),
    maxDepth: optional(o.maxDepth, (v) =>
      integer(v, 'callers maxDepth', 1, REQUEST_LIMITS.callerDepth),
    ),
  };
}

export function checkAnnotateQuery(q: unknown): AnnotateQuery {
  const o = object(q, 'annotate query');
  return { filters: checkFilters(o.filters), func: index(o.func, 'func') };
}

export function checkFoldedExportOptions(q: unknown): FoldedExportOptions {
  const o = object(q, 'export options');
  const flag = (v: unknown, what: string): boolean | undefined =>
    optional(v, (x) => boolean(x, what));
  return {
    filters: checkFilters(o.filters),
    pid: flag(o.pid, 'pid'),
    tid: flag(o.tid, 'tid'),
    kernelAnnotate: flag(o.kernelAnnotate, 'kernelAnnotate'),
    addresses: flag(o.addresses, 'addresses'),
    weight: weight(o.weight, 'export weight'),
    allEvents: flag(o.allEvents, 'allEvents'),
    format: optional(o.format, (x) => oneOf(x, 'export format', EXPORT_FORMATS)),
  };
}

export function checkStackIndex(stack: unknown): number {
  return integer(stack, 'stack', -1, Number.MAX_SAFE_INTEGER);
}

/** Filters: lists deduplicated (a thread named twice is one row), every field typed. */
export function checkFilters(f: unknown): Filters {
  if (f === undefined) return {};
  const o = object(f, 'filters');
  let range: Filters['range'];
  if (o.range !== undefined) {
    const r = object(o.range, 'filters.range');
    range = { start: time(r.start, 'filters.range.start'), end: time(r.end, 'filters.range.end') };
  }
  return {
    event: optional(o.event, (v) => index(v, 'filters.event')),
    threads: optional(o.threads, (v) => list(v, 'filters.threads', true, index)),
    pids: optional(o.pids, (v) => list(v, 'filters.pids', true, pid)),
    range,
    merge: optional(o.merge, (v) => boolean(v, 'filters.merge')),
    frames: optional(o.frames, (v) =>
      oneOf(v, 'filters.frames', ['all', 'user', 'kernel'] as const),
    ),
    transforms: optional(o.transforms, (v) => {
      try {
        return checkTransforms(v);
      } catch (e) {
        throw bad(`filters.${(e as Error).message}`);
      }
    }),
    cpus: optional(o.cpus, (v) => list(v, 'filters.cpus', true, cpu)),
  };
}

/** A CPU number as perf records it (u32; Linux's NR_CPUS is at most 8192). */
function cpu(v: unknown, what: string): number {
  return integer(v, what, 0, 1 << 16);
}

function bad(message: string): SessionError {
  return new SessionError('bad-request', message);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v);
}

function optional<T>(v: unknown, check: (v: unknown) => T): T | undefined {
  return v === undefined || v === null ? undefined : check(v);
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function integer(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw bad(`${what} must be an integer from ${min} to ${max} (got ${describe(v)})`);
  }
  return v;
}

function index(v: unknown, what: string): number {
  return integer(v, what, 0, Number.MAX_SAFE_INTEGER);
}

/** Linux's pid_max is at most 2^22; perf writes -1 for "no pid". */
function pid(v: unknown, what: string): number {
  return integer(v, what, -1, 1 << 22);
}

/** Nanoseconds relative to the profile start; an open end may be ±Infinity. */
function time(v: unknown, what: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw bad(`${what} must be a number of ns`);
  return v;
}

function boolean(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw bad(`${what} must be true or false (got ${describe(v)})`);
  return v;
}

function text(v: unknown, what: string, maxLength: number): string {
  if (typeof v !== 'string') throw bad(`${what} must be a string`);
  if (v.length > maxLength) throw bad(`${what} has ${v.length} characters; at most ${maxLength}`);
  return v;
}

function oneOf<T extends string>(v: unknown, what: string, values: readonly T[]): T {
  if (!values.includes(v as T)) throw bad(`${what} must be one of ${values.join(', ')}`);
  return v as T;
}

function weight(v: unknown, what: string): Weight | undefined {
  return optional(v, (x) => oneOf(x, what, ['samples', 'period', 'off-cpu'] as const));
}

/** A bounded list, each entry checked; `unique` keeps the first of repeated entries. */
function list(
  v: unknown,
  what: string,
  unique: boolean,
  each: (x: unknown, what: string) => number,
): number[] {
  if (!Array.isArray(v)) throw bad(`${what} must be a list`);
  if (v.length > REQUEST_LIMITS.listLength) {
    throw bad(`${what} has ${v.length} entries; at most ${REQUEST_LIMITS.listLength}`);
  }
  const out = v.map((x) => each(x, what));
  return unique ? [...new Set(out)] : out;
}
