import { AttrType, SampleType } from '../perf-data/constants';
import type { PerfDataReader } from '../perf-data/reader';
import { cStrtod, cStrtoul } from './c-format';
import type { GraphStyle } from './callgraph-print';
import { parseSortKeys, ReportUsageError, type SortKey } from './sort-keys';

/** `perf report` options as given on the command line (undefined: not given). */
export interface ReportArgs {
  /** --children / --no-children. */
  children?: boolean;
  /** --sort, as given. */
  sort?: string;
  /** -g/--call-graph: its argument, '' when given without one. */
  callGraph?: string;
  /** --percent-limit, as given. */
  percentLimit?: string;
  /** -S/--symbols: a comma-separated list of symbol names. */
  symbolList?: string;
  /** --group / --no-group: the event group view (perf's default when the recording has groups). */
  group?: boolean;
  /** --comms: only samples of threads with these comms (comma-separated). */
  comms?: string;
  /** --dsos: only samples in these DSOs (comma-separated short or long names). */
  dsos?: string;
  /** --percentage: 'relative' (to what the filters keep) or 'absolute' (perf's default). */
  percentage?: string;
  /** -n/--show-nr-samples: a Samples column. */
  showNrSamples?: boolean;
}

/** perf's callchain_param as -g leaves it. */
interface CallGraphArg {
  mode: 'graph' | 'fractal' | 'flat' | 'folded' | 'none';
  minPercent?: number;
  printLimit: number;
  order?: 'caller' | 'callee';
  key: 'function' | 'address' | 'srcline' | 'branch';
  value: GraphStyle['value'];
}

/** What the report does, after perf's cmd_report and report__setup_sample_type. */
export interface ReportConfig {
  readonly keys: readonly SortKey[];
  /** The --sort string perf compares against (sort_order), undefined for the default. */
  readonly sortOrder: string | undefined;
  readonly cumulate: boolean;
  readonly callchains: boolean;
  readonly callerOrder: boolean;
  /** Call graph threshold in percent (callchain_param.min_percent). */
  readonly graphMinPercent: number;
  readonly graph: GraphStyle;
  /** Entries below this percentage are not printed (a float, as perf keeps it). */
  readonly percentLimit: number;
  /** The -S list, without duplicates, in perf's (sorted) order. */
  readonly symbolFilter: readonly string[] | undefined;
  /** The --comms and --dsos lists, the same way. */
  readonly commFilter: readonly string[] | undefined;
  readonly dsoFilter: readonly string[] | undefined;
  /** --percentage relative: percentages and header counts of what the filters keep. */
  readonly filterRelative: boolean;
  readonly showNrSamples: boolean;
  /** "# symbol: X" lines: a filter of one entry names what its column would show. */
  readonly elideHeaders: readonly string[];
  /**
   * Keys perf leaves out because a filter pins them to one value (-S with one symbol hides the
   * symbol column, unless it is the only column): not printed, not sorted on.
   */
  readonly elided: ReadonlySet<SortKey>;
}

/** perf report's -g default (CALLCHAIN_DEFAULT_OPT). */
const DEFAULT_CALL_GRAPH = 'graph,0.5,caller,function,percent';

const MODES = ['graph', 'flat', 'fractal', 'folded'] as const;
const ORDERS = ['caller', 'callee'] as const;
const KEYS = ['function', 'address', 'srcline', 'branch'] as const;
const VALUES = ['percent', 'period', 'count'] as const;

/** perf's strncmp(tok, word, strlen(tok)) == 0: the token is a prefix of the word. */
function prefixOf<T extends string>(tok: string, words: readonly T[]): T | undefined {
  return words.find((w) => w.startsWith(tok));
}

/** perf's parse_callchain_report_opt. */
function parseCallGraph(arg: string): CallGraphArg {
  const cg: CallGraphArg = { mode: 'graph', printLimit: 0, key: 'function', value: 'percent' };
  let thresholdSet = false;
  for (const tok of arg.split(',').filter(Boolean)) {
    if ('none'.startsWith(tok)) return { ...cg, mode: 'none' };
    const mode = prefixOf(tok, MODES);
    const order = mode ? undefined : prefixOf(tok, ORDERS);
    const key = mode || order ? undefined : prefixOf(tok, KEYS);
    const value = mode || order || key ? undefined : prefixOf(tok, VALUES);
    if (mode) cg.mode = mode;
    else if (order) cg.order = order;
    else if (key) cg.key = key;
    else if (value) cg.value = value;
    else if (!thresholdSet) {
      if (!/^\s*[+-]?(\d|\.\d)/.test(tok)) throw new ReportUsageError(`invalid -g value: ${tok}`);
      cg.minPercent = cStrtod(tok);
      thresholdSet = true;
    } else {
      const limit = cStrtoul(tok);
      if (limit === undefined) throw new ReportUsageError(`invalid -g value: ${tok}`);
      cg.printLimit = limit;
    }
  }
  return cg;
}

function graphModeOf(cg: CallGraphArg): GraphStyle['mode'] {
  switch (cg.mode) {
    case 'graph':
    case 'fractal':
      return cg.mode;
    case 'none':
      return 'graph';
    case 'flat':
    case 'folded':
      throw new ReportUsageError(`-g ${cg.mode} is not supported by perfws report`);
    default: {
      const never: never = cg.mode;
      return never;
    }
  }
}

/** perf's get_default_sort_order: `trace` when every event is a tracepoint. */
function defaultSortOrder(reader: PerfDataReader): string {
  const events = reader.events.events;
  // In pipe mode perf sets up sorting before it has seen an attr.
  const tracepoints =
    !reader.header.pipe &&
    events.length > 0 &&
    events.every((e) => e.attr.type === AttrType.TRACEPOINT);
  return tracepoints ? 'trace' : 'comm,dso,symbol';
}

/**
 * Resolves the options against the recording as perf 6.1 does: children only when the file's
 * events sample callchains (never in pipe mode, where perf decides before reading any attr),
 * call graphs by default when callchains exist, caller order with --children unless -g says
 * otherwise, and `,ipc_null` after a --sort that names `symbol`.
 */
export function resolveReportConfig(reader: PerfDataReader, args: ReportArgs): ReportConfig {
  const pipe = reader.header.pipe;
  const hasCallchains = reader.events.events.some(
    (e) => (e.attr.sampleType & SampleType.CALLCHAIN) !== 0,
  );
  const cumulateWanted = args.children ?? true;
  const given = args.callGraph !== undefined;
  const cg = parseCallGraph(given ? args.callGraph || DEFAULT_CALL_GRAPH : '');
  if (cg.key !== 'function') {
    throw new ReportUsageError(`-g ${cg.key} is not supported by perfws report`);
  }
  const mode = graphModeOf(cg);

  let callchains: boolean;
  if (cg.mode === 'none') callchains = false;
  else if (given) {
    if (!pipe && !hasCallchains) {
      throw new ReportUsageError(
        "Selected -g or --branch-history.\nBut no callchain or branch data.\nDid you call 'perf record' without -g or -b?",
      );
    }
    callchains = true;
  } else {
    callchains = pipe || hasCallchains;
  }

  let percentLimit = 0;
  let graphMinPercent = 0.5;
  if (args.percentLimit !== undefined) {
    // perf's parse_percent_limit sets both, from strtof.
    percentLimit = cStrtod(args.percentLimit, true);
    graphMinPercent = percentLimit;
  }
  if (cg.minPercent !== undefined) graphMinPercent = cg.minPercent;

  let sortOrder = args.sort;
  if (sortOrder?.includes('symbol')) sortOrder += ',ipc_null';
  const keys = parseSortKeys(sortOrder ?? defaultSortOrder(reader));

  const symbolFilter = strlist(args.symbolList);
  const commFilter = strlist(args.comms);
  const dsoFilter = strlist(args.dsos);
  const percentage = args.percentage ?? 'absolute';
  if (percentage !== 'relative' && percentage !== 'absolute') {
    throw new ReportUsageError(`Invalid percentage: ${percentage}`);
  }

  const { elided, headers: elideHeaders } = elideKeys(keys, {
    symbol: symbolFilter,
    dso: dsoFilter,
    comm: commFilter,
  });

  return {
    keys,
    sortOrder,
    cumulate: cumulateWanted && !pipe && hasCallchains,
    callchains,
    callerOrder: cg.order ? cg.order === 'caller' : cumulateWanted,
    graphMinPercent,
    graph: {
      mode,
      value: cg.value,
      printLimit: cg.printLimit,
      skipOwnSymbol: sortOrder?.startsWith('sym') ?? false,
    },
    percentLimit,
    symbolFilter,
    commFilter,
    dsoFilter,
    filterRelative: percentage === 'relative',
    showNrSamples: args.showNrSamples ?? false,
    elideHeaders,
    elided,
  };
}

/**
 * perf's sort__setup_elide: a key whose filter list (-S, --dsos, --comms) has one entry is left
 * out, and named in a header line perf report prints, unless every key would be.
 */
export function elideKeys(
  keys: readonly SortKey[],
  lists: { symbol?: readonly string[]; dso?: readonly string[]; comm?: readonly string[] },
): { elided: Set<SortKey>; headers: string[] } {
  const headers: string[] = [];
  const elided = new Set<SortKey>();
  for (const k of keys) {
    if (k.column !== 'symbol' && k.column !== 'dso' && k.column !== 'comm') continue;
    const list = lists[k.column];
    if (list?.length !== 1) continue;
    headers.push(`# ${k.column}: ${list[0]}`);
    elided.add(k);
  }
  if (elided.size === keys.length) elided.clear();
  return { elided, headers };
}

/** perf's strlist of a comma-separated option: no empty or repeated entries, sorted (strcmp). */
export function strlist(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return [...new Set(text.split(',').filter(Boolean))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
