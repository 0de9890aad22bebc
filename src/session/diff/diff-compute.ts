import { compareU64Periods, u64PeriodValue } from '../perf-data/sample-read';
import type { HistEntry } from '../report/hist-entry';
import type { Compute, DiffConfig } from './diff-config';

/** What perf diff computes for a newer recording's entry against the baseline's (he->diff). */
export interface PairValues {
  /** new % − baseline % (period_ratio_delta). */
  readonly delta: number;
  /** new period / baseline period, the baseline's 0 read as 1 (period_ratio). */
  readonly ratio: number;
  /** new period × W2 − baseline period × W1, as perf's s64 (wdiff). */
  readonly wdiff: bigint;
}

/** A histogram's totals as perf diff counts them while reading samples (stats.total_*period). */
export interface SampleTotals {
  /** Every sample's period. */
  period: number;
  /** The periods of samples no filter hides. */
  nonFiltered: number;
}

/** The u64 value of a period as a bigint (sample-read periods can be "negative" u64s). */
export function u64Big(period: number): bigint {
  return BigInt.asUintN(64, BigInt(period));
}

/** perf's `(period * 100.0) / total`, of u64 values. */
export function percentOf(period: number, total: number): number {
  return (u64PeriodValue(period) * 100) / u64PeriodValue(total);
}

/**
 * perf's hists__precompute: for every baseline entry and every newer recording it has a pair in,
 * the delta (against each histogram's total as read), the ratio and the weighted difference.
 */
export function precompute(
  entries: readonly HistEntry[],
  files: number,
  /** hists__total_period of each recording's histogram, as read. */
  totalOf: (file: number) => number,
  config: DiffConfig,
): Map<HistEntry, PairValues> {
  const values = new Map<HistEntry, PairValues>();
  const { w1, w2 } = config.weights;
  for (const he of entries) {
    for (let i = 1; i < files; i++) {
      const pair = he.pairs?.[i];
      if (!pair) continue;
      values.set(pair, {
        delta: percentOf(pair.period, totalOf(i)) - percentOf(he.period, totalOf(0)),
        ratio: u64PeriodValue(pair.period) / (u64PeriodValue(he.period) || 1),
        wdiff: BigInt.asIntN(64, u64Big(pair.period) * w2 - u64Big(he.period) * w1),
      });
    }
  }
  return values;
}

/** perf's cmp_doubles: the larger first. */
function cmpDoubles(l: number, r: number): number {
  return l > r ? -1 : l < r ? 1 : 0;
}

/** perf's __hist_entry__cmp_compute between two newer entries' values. */
function cmpValues(l: PairValues, r: PairValues, c: Compute): number {
  switch (c) {
    case 'delta':
      return cmpDoubles(l.delta, r.delta);
    case 'delta-abs':
      return cmpDoubles(Math.abs(l.delta), Math.abs(r.delta));
    case 'ratio':
      return cmpDoubles(l.ratio, r.ratio);
    case 'wdiff': {
      // `return r - l` in s64, overflow included
      const d = BigInt.asIntN(64, r.wdiff - l.wdiff);
      return d > 0n ? 1 : d < 0n ? -1 : 0;
    }
    default: {
      const never: never = c;
      return never;
    }
  }
}

/**
 * perf diff's output order (hist_entry__sort over its sort list): the `-o` recording's computed
 * column first (hist_entry__cmp_*_idx), the baseline's period, each newer recording's computed
 * column (hist_entry__cmp_*), then the sort keys. `cmp(a, b)` > 0 puts `a` first.
 */
export function diffSort(
  config: DiffConfig,
  files: number,
  values: ReadonlyMap<HistEntry, PairValues>,
  byKeys: (a: HistEntry, b: HistEntry) => number,
): (a: HistEntry, b: HistEntry) => number {
  const c = config.compute;
  const valueOf = (he: HistEntry) => values.get(he)!;
  /** hist_entry__cmp_compute_idx(left, right): entries with values first, dummies last (not for deltas). */
  const byIndex = (left: HistEntry, right: HistEntry, idx: number): number => {
    const pl = left.pairs?.[idx];
    const pr = right.pairs?.[idx];
    if (!pl || !pr) return !pl && !pr ? 0 : pl ? -1 : 1;
    if (c !== 'delta' && c !== 'delta-abs') {
      if (left.dummy && right.dummy) return 0;
      if (left.dummy || right.dummy) return left.dummy ? 1 : -1;
    }
    return cmpValues(valueOf(pl), valueOf(pr), c);
  };
  /** hist_entry__cmp_compute(left, right): entries with any pair first, then this file's. */
  const byFile = (left: HistEntry, right: HistEntry, idx: number): number => {
    const hasLeft = hasPairs(left);
    const hasRight = hasPairs(right);
    if (!hasLeft || !hasRight) return !hasLeft && !hasRight ? 0 : hasLeft ? -1 : 1;
    const pl = left.pairs?.[idx];
    const pr = right.pairs?.[idx];
    if (!pl || !pr) return !pl && !pr ? 0 : pl ? -1 : 1;
    return cmpValues(valueOf(pl), valueOf(pr), c);
  };
  return (a, b) => {
    // every hist_entry__cmp_* is called (fmt, a, b) and compares (b, a)
    if (config.sortCompute > 0) {
      const r = byIndex(b, a, config.sortCompute);
      if (r) return r;
    }
    // hist_entry__cmp_baseline
    const base = compareU64Periods(a.period, b.period);
    if (base) return base;
    for (let i = 1; i < files; i++) {
      const r = byFile(b, a, i);
      if (r) return r;
    }
    return byKeys(a, b);
  };
}

/** perf's hist_entry__has_pairs for a baseline entry. */
export function hasPairs(he: HistEntry): boolean {
  return he.pairs?.some((p) => p !== undefined) ?? false;
}
