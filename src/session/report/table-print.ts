import { u64PeriodValue } from '../perf-data/sample-read';
import { cFixed } from './c-format';
import { dsoShortName, type HistEntry } from './hist-entry';
import type { Column, SortKey } from './sort-keys';

/** The columns of a report table: the overhead columns, then the sort keys. */
export interface TableColumns {
  /** --children: "Children" and "Self" instead of "Overhead". */
  readonly children: boolean;
  readonly keys: readonly SortKey[];
  /** Keys perf leaves out because a filter pins them to one value (-S one symbol). */
  readonly elided: ReadonlySet<SortKey>;
  /** perf's group view: every member's total period (the leader's first), u64 values. */
  readonly groupTotals?: readonly number[];
  /** -n: a Samples column after the overhead columns. */
  readonly samples?: boolean;
}

export type Widths = Map<Column, number>;

const OVERHEAD_WIDTH = 8;
/** Width of an unresolved address column entry: 16 hex digits (BITS_PER_LONG / 4). */
const UNRESOLVED_WIDTH = 16;

function widen(widths: Widths, column: Column, len: number): boolean {
  if (len <= (widths.get(column) ?? 0)) return false;
  widths.set(column, len);
  return true;
}

/**
 * perf's hists__calc_col_len over the entries that are not filtered (hidden entries under the
 * percent limit count too), then the headers (hists__reset_column_width).
 */
export function columnWidths(
  entries: readonly HistEntry[],
  keys: readonly SortKey[],
  /** --dsos was given: perf then leaves the DSO column's width to the names (set_unres_dso_col_len). */
  dsoList = false,
): Widths {
  const widths: Widths = new Map();
  const traced = keys.some((k) => k.name === 'trace');
  for (const e of entries) {
    if (e.filtered) continue;
    if (e.sym) {
      widen(widths, 'symbol', e.sym.name.length + 4);
    } else {
      // "[.] 0x" and 16 digits; an unresolved entry also widens the DSO column to 16.
      widen(widths, 'symbol', UNRESOLVED_WIDTH + 4 + 2);
      if (!dsoList) widen(widths, 'dso', UNRESOLVED_WIDTH);
    }
    // perf measures the thread's comm as it is now, at the end (thread__comm_len).
    const commLen = e.thread.comm.length;
    if (widen(widths, 'comm', commLen)) widths.set('thread', commLen + 8);
    if (e.map) widen(widths, 'dso', dsoShortName(e.map.dso).length);
    if (traced && e.trace !== undefined) widen(widths, 'trace', e.trace.length);
  }
  for (const k of keys) widen(widths, k.column, k.header.length);
  return widths;
}

function overheadHeaders(cols: TableColumns): string[] {
  const names = cols.children ? ['Children', 'Self'] : ['Overhead'];
  if (cols.samples) names.push('Samples');
  return names;
}

/** Width of one value of the Samples column (perf's hpp "sample" format: 12). */
const SAMPLES_WIDTH = 12;

/** A column before the sort keys (overheads, perf diff's columns): its title and width. */
export interface LeadingColumn {
  readonly title: string;
  readonly width: number;
}

/** perf's hists__fprintf_headers: the column names, the dots under them, and "#". */
export function formatTableHeader(cols: TableColumns, widths: Widths): string {
  // hpp__width_fn: in the group view a column holds every member's value
  const members = cols.groupTotals?.length ?? 1;
  const leading = overheadHeaders(cols).map((title) => ({
    title,
    width: (title === 'Samples' ? SAMPLES_WIDTH : OVERHEAD_WIDTH) * members,
  }));
  return formatHeader(leading, cols.keys, cols.elided, widths);
}

/**
 * The header lines of a table: the leading columns' titles right-aligned, the keys' headers
 * cut or padded to their widths, a row of dots under each, then "#".
 */
export function formatHeader(
  leading: readonly LeadingColumn[],
  keys: readonly SortKey[],
  elided: ReadonlySet<SortKey>,
  widths: Widths,
): string {
  const names: string[] = [];
  const dots: string[] = [];
  for (const c of leading) {
    names.push(c.title.padStart(c.width));
    dots.push('.'.repeat(c.width));
  }
  for (const k of keys) {
    if (elided.has(k)) continue;
    const w = widths.get(k.column) ?? 0;
    names.push(k.header.slice(0, w).padEnd(w));
    dots.push('.'.repeat(w));
  }
  return `# ${names.join('  ')}\n# ${dots.join('  ')}\n#\n`;
}

/** " %6.2f%%" of a period against the event's total. */
function percentColumn(period: number, total: number): string {
  const percent = total ? (100 * u64PeriodValue(period)) / total : 0;
  return ` ${cFixed(percent, 2).padStart(OVERHEAD_WIDTH - 2)}%`;
}

/**
 * perf's __hpp__fmt: the entry's percentage, then in the group view each member's, of the
 * member's own total, 0.00% for a member without an equal entry.
 */
function percentColumns(
  e: HistEntry,
  field: (h: HistEntry) => number,
  total: number,
  cols: TableColumns,
): string {
  let text = percentColumn(field(e), total);
  const totals = cols.groupTotals ?? [];
  for (let i = 1; i < totals.length; i++) {
    const pair = e.pairs?.[i];
    // a member with no samples at all has no column (perf's "if (!total) continue")
    if (pair && !totals[i]) continue;
    text += percentColumn(pair ? field(pair) : 0, totals[i]!);
  }
  return text;
}

/** -n: " %11u" of the entry's samples, then in the group view each member's. */
function samplesColumns(e: HistEntry, cols: TableColumns): string {
  const one = (n: number): string => ` ${String(n).padStart(SAMPLES_WIDTH - 1)}`;
  let text = one(e.nrEvents);
  const totals = cols.groupTotals ?? [];
  for (let i = 1; i < totals.length; i++) {
    const pair = e.pairs?.[i];
    if (pair && !totals[i]) continue;
    text += one(pair ? pair.nrEvents : 0);
  }
  return text;
}

/**
 * perf's hist_entry__snprintf: every column after two spaces; a column is padded to its width
 * unless it is the last of the format list (elided keys count: the column before an elided
 * last key is padded).
 */
export function formatEntryLine(
  e: HistEntry,
  cols: TableColumns,
  widths: Widths,
  total: number,
): string {
  let line = '';
  if (cols.children) line += `  ${percentColumns(e, (h) => h.accPeriod, total, cols)}`;
  line += `  ${percentColumns(e, (h) => h.period, total, cols)}`;
  if (cols.samples) line += `  ${samplesColumns(e, cols)}`;
  return line + formatKeyColumns(e, cols.keys, cols.elided, widths);
}

/**
 * The sort keys' columns of an entry, each after two spaces; a column is padded to its width
 * unless it is the last of the format list (elided keys count: the column before an elided last
 * key is padded).
 */
export function formatKeyColumns(
  e: HistEntry,
  keys: readonly SortKey[],
  elided: ReadonlySet<SortKey>,
  widths: Widths,
): string {
  let line = '';
  const lastKey = keys[keys.length - 1];
  for (const k of keys) {
    if (elided.has(k)) continue;
    const w = widths.get(k.column) ?? 0;
    const text = k.format(e, w);
    line += `  ${k === lastKey ? text : text.padEnd(w)}`;
  }
  return line;
}
