import { u64PeriodText, u64PeriodValue } from '../perf-data/sample-read';
import { cFixed } from '../report/c-format';
import type { HistEntry } from '../report/hist-entry';
import type { LeadingColumn } from '../report/table-print';
import { percentOf, type PairValues } from './diff-compute';
import type { DiffConfig } from './diff-config';

/** perf diff's own columns (PERF_HPP_DIFF__*), with perf's names and minimum widths. */
type ColumnKind =
  'baseline' | 'period' | 'base-period' | 'delta' | 'delta-abs' | 'ratio' | 'wdiff' | 'formula';

const COLUMNS: Record<ColumnKind, { name: string; width: number }> = {
  baseline: { name: 'Baseline', width: 0 },
  period: { name: 'Period', width: 14 },
  'base-period': { name: 'Base period', width: 14 },
  delta: { name: 'Delta', width: 7 },
  'delta-abs': { name: 'Delta Abs', width: 7 },
  ratio: { name: 'Ratio', width: 14 },
  wdiff: { name: 'Weighted diff', width: 14 },
  formula: { name: 'Formula', width: 70 },
};

/** perf's MAX_COL_WIDTH: an entry's text is written into a buffer this size (69 characters). */
const MAX_COL_WIDTH = 70;

export interface DiffColumn extends LeadingColumn {
  readonly kind: ColumnKind;
  /** The recording the column shows (0: the baseline). */
  readonly file: number;
}

/**
 * perf's ui_init: the baseline's columns (Baseline, and Base period with -p), then per newer
 * recording its computed column, Formula with -F and Period with -p. With more than two
 * recordings a title names its recording ("Ratio/2"); a column is as wide as its title or
 * perf's minimum.
 */
export function diffColumns(config: DiffConfig, files: number): DiffColumn[] {
  const columns: DiffColumn[] = [];
  const add = (kind: ColumnKind, file: number): void => {
    const { name, width } = COLUMNS[kind];
    const title = files > 2 ? `${name}/${file}` : name;
    columns.push({ kind, file, title, width: Math.max(width, title.length) });
  };
  for (let i = 0; i < files; i++) {
    add(i ? config.compute : 'baseline', i);
    if (config.formula && i) add('formula', i);
    if (config.period) add(i ? 'period' : 'base-period', i);
  }
  return columns;
}

/**
 * hists__total_period of each recording's histogram at print time (the baseline's counted again
 * by its output sort, the others as read): what percentages and delta formulas are of.
 */
export type PrintTotals = (file: number) => number;

/** What every cell of one print of the diff table reads besides its column and entry. */
export interface DiffPrint {
  /** The precomputed delta, ratio and wdiff of each pair. */
  values: ReadonlyMap<HistEntry, PairValues>;
  totals: PrintTotals;
  config: DiffConfig;
}

/** printf("%+4.2F%%"). */
function signedPercent(x: number): string {
  const text = cFixed(x, 2);
  return `${text.startsWith('-') ? '' : '+'}${text}%`;
}

/**
 * perf's hpp__entry_global: the column's text for a baseline entry (perf's hpp__entry_baseline,
 * hpp__entry_pair and hpp__entry_unpair), right-aligned to the column's width. An empty text is
 * perf's initial " ".
 */
export function diffCell(column: DiffColumn, he: HistEntry, print: DiffPrint): string {
  return cellText(column, he, print)
    .slice(0, MAX_COL_WIDTH - 1)
    .padStart(column.width);
}

function cellText(column: DiffColumn, he: HistEntry, print: DiffPrint): string {
  const { values, totals } = print;
  switch (column.kind) {
    case 'baseline':
      return he.dummy ? ' ' : `${cFixed(percentOf(he.period, totals(0)), 2).padStart(6)}%`;
    case 'base-period':
      // perf finds no pair for the baseline's own file: the entry's period, 0 for a dummy
      return u64PeriodText(he.period);
    default:
      break;
  }
  const pair = he.pairs?.[column.file];
  if (!pair) return ' ';
  const v = values.get(pair)!;
  switch (column.kind) {
    case 'delta':
    case 'delta-abs':
      return signedPercent(v.delta);
    case 'ratio':
      if (he.dummy) return 'N/A';
      return v.ratio > 0 ? cFixed(v.ratio, 6).padStart(14) : ' ';
    case 'wdiff':
      if (he.dummy) return 'N/A';
      return v.wdiff !== 0n ? String(v.wdiff).padStart(14) : ' ';
    case 'period':
      return u64PeriodText(pair.period);
    case 'formula':
      return formula(he, pair, column.file, print);
    default: {
      const never: never = column.kind;
      return never;
    }
  }
}

/** perf's formula_fprintf. */
function formula(he: HistEntry, pair: HistEntry, file: number, print: DiffPrint): string {
  const { totals, config } = print;
  const p = u64PeriodText(pair.period);
  const b = u64PeriodText(he.period);
  switch (config.compute) {
    case 'delta':
    case 'delta-abs':
      return `(${p} * 100 / ${u64PeriodText(totals(file))}) - (${b} * 100 / ${u64PeriodText(totals(0))})`;
    case 'ratio':
      // "%.0F / %.0F" of the periods as doubles
      return `${cFixed(u64PeriodValue(pair.period), 0)} / ${cFixed(u64PeriodValue(he.period), 0)}`;
    case 'wdiff':
      return `(${p} * ${config.weights.w2}) - (${b} * ${config.weights.w1})`;
    default: {
      const never: never = config.compute;
      return never;
    }
  }
}
