import { elideKeys, strlist } from '../report/report-config';
import { parseSortKeys, ReportUsageError, type SortKey } from '../report/sort-keys';

/** `perf diff` options as given on the command line (undefined: not given). */
export interface DiffArgs {
  /** -c/--compute: delta, delta-abs (the default), ratio, wdiff:W1,W2. */
  compute?: string;
  /** -o/--order: the recording whose column sorts first (perf's sort_compute), as given. */
  order?: string;
  /** -p/--period: the period columns. */
  period?: boolean;
  /** -F/--formula: the formula column. */
  formula?: boolean;
  /** -b/--baseline-only: only entries the baseline has. */
  baselineOnly?: boolean;
  /** -s/--sort, as given (perf diff's default: dso,sym). */
  sort?: string;
  /** --percentage: 'relative' (to what the filters keep) or 'absolute' (the default). */
  percentage?: string;
  /** -C/--comms, -d/--dsos, -S/--symbols: comma-separated lists. */
  comms?: string;
  dsos?: string;
  symbolList?: string;
}

/** perf diff's computations (COMPUTE_*; cycles needs branch stacks and is not offered). */
export type Compute = 'delta' | 'delta-abs' | 'ratio' | 'wdiff';

export interface DiffConfig {
  readonly compute: Compute;
  /** wdiff's weights (compute_wdiff_w1 for the baseline, w2 for the new recording). */
  readonly weights: { readonly w1: bigint; readonly w2: bigint };
  /** The recording whose computed column sorts first; 0: none (perf's sort_compute). */
  readonly sortCompute: number;
  readonly period: boolean;
  readonly formula: boolean;
  readonly baselineOnly: boolean;
  readonly keys: readonly SortKey[];
  readonly elided: ReadonlySet<SortKey>;
  readonly symbolFilter: readonly string[] | undefined;
  readonly commFilter: readonly string[] | undefined;
  readonly dsoFilter: readonly string[] | undefined;
  readonly filterRelative: boolean;
}

/** perf diff's default sort order (default_diff_sort_order). */
const DEFAULT_SORT = 'dso,sym';

const COMPUTES: readonly Compute[] = ['delta', 'delta-abs', 'ratio', 'wdiff'];

/** C's strtol(text, NULL, 10) as a bigint: the leading decimal number, 0 when there is none. */
function strtol(text: string): bigint {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? BigInt(m[1]!) : 0n;
}

/** perf's setup_compute: a method name, and for wdiff its `:W1,W2`; perf's messages. */
function parseCompute(text: string): { compute: Compute; w1: bigint; w2: bigint } {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const option = colon < 0 ? undefined : text.slice(colon + 1);
  if (name === 'cycles') {
    throw new ReportUsageError(
      '-c cycles needs branch stacks (LBR), which perfws diff does not read',
    );
  }
  const compute = COMPUTES.find((c) => c === name);
  if (!compute) {
    throw new ReportUsageError(
      `Failed: '${text}' is not computation method (use 'delta','ratio' or 'wdiff')`,
    );
  }
  if (compute !== 'wdiff') {
    if (option !== undefined)
      throw new ReportUsageError(`Failed: extra option specified '${option}'`);
    return { compute, w1: 0n, w2: 0n };
  }
  // setup_compute_opt_wdiff: "W1,W2", both non-zero
  const comma = option?.indexOf(',') ?? -1;
  const w1 = option && comma >= 0 ? strtol(option.slice(0, comma)) : 0n;
  const w2 = option && comma >= 0 ? strtol(option.slice(comma + 1)) : 0n;
  if (!w1 || !w2) throw new ReportUsageError("Failed: wrong weight data, use 'wdiff:w1,w2'");
  return { compute, w1, w2 };
}

/** perf's OPT_UINTEGER for -o: a decimal unsigned number. */
function parseOrder(text: string | undefined, files: number): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text)) {
    throw new ReportUsageError(`option \`order' expects an unsigned numerical value`);
  }
  const order = Number(text);
  if (order >= files) throw new ReportUsageError('Order option out of limit.');
  return order;
}

/** What `perf diff` does with these options for `files` recordings (perf's cmd_diff, ui_init). */
export function resolveDiffConfig(args: DiffArgs, files: number): DiffConfig {
  const { compute, w1, w2 } = parseCompute(args.compute ?? 'delta-abs');
  const keys = parseSortKeys(args.sort ?? DEFAULT_SORT);
  const trace = keys.find((k) => k.name === 'trace');
  if (trace) throw new ReportUsageError("--sort key `trace' is not supported by perfws diff");
  const percentage = args.percentage ?? 'absolute';
  if (percentage !== 'relative' && percentage !== 'absolute') {
    throw new ReportUsageError(`Invalid percentage: ${percentage}`);
  }
  const symbolFilter = strlist(args.symbolList);
  const commFilter = strlist(args.comms);
  const dsoFilter = strlist(args.dsos);
  // perf diff elides like perf report but prints no "# dso: ..." line for it
  const { elided } = elideKeys(keys, { symbol: symbolFilter, dso: dsoFilter, comm: commFilter });
  return {
    compute,
    weights: { w1, w2 },
    sortCompute: parseOrder(args.order, files),
    period: args.period ?? false,
    formula: args.formula ?? false,
    baselineOnly: args.baselineOnly ?? false,
    keys,
    elided,
    symbolFilter,
    commFilter,
    dsoFilter,
    filterRelative: percentage === 'relative',
  };
}
