import { computed, type ComputedRef } from 'vue';
import { portableFilters, sharesByPath } from '../../shared/compare/flame-graph-diff';
import type { FlameGraphQuery } from '../../shared/contract';
import { useCompareStore } from '../stores/compare';
import { useFiltersStore } from '../stores/filters';
import { useSessionQuery } from './use-session-query';

/** Wide enough that only paths below 1/100000 of the profile are folded away (the bound is 2^17). */
const WHOLE_TREE_WIDTH = 100_000;

export interface ComparisonShares {
  /** Each call path's share of the other profile (by path key), while comparing. */
  shares: ComputedRef<Map<string, number> | undefined>;
  /** True when the other profile is the new one (this window shows the baseline). */
  otherIsNew: ComputedRef<boolean>;
}

/**
 * The other side of a comparison for views that list call paths (the call tree): the whole
 * flame graph of the compared recording, or of this one in the baseline time range, as shares
 * by call path (function name and library from the root).
 */
export function useComparisonShares(weight: () => 'samples' | 'period'): ComparisonShares {
  const compare = useCompareStore();
  const filters = useFiltersStore();
  const args = computed<FlameGraphQuery | undefined>(() => {
    if (!compare.differential || !compare.available) return undefined;
    const f = filters.aggregateFilters;
    const other = compare.session
      ? portableFilters(f)
      : { ...f, range: { ...compare.baselineRange! } };
    return { filters: other, width: WHOLE_TREE_WIDTH, weight: weight() };
  });
  const query = useSessionQuery(
    () => args.value,
    (session, q, signal) => (compare.session ?? session).flameGraph(q, { signal }),
  );
  return {
    shares: computed(() =>
      args.value && query.data.value ? sharesByPath(query.data.value) : undefined,
    ),
    otherIsNew: computed(() => compare.session !== undefined && compare.comparison?.role === 'new'),
  };
}
