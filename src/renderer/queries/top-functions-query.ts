import type { TopFunctionsAnswer, TopFunctionsQuery } from '../../shared/contract';
import { useFiltersStore } from '../stores/filters';
import { useViewsStore } from '../stores/views';
import type { RendererSession } from './renderer-session';

/** Functions listed: more than anyone scrolls through, few enough to lay out at once. */
export const TOP_FUNCTIONS_LIMIT = 500;

/**
 * What Top functions asks the session for. One function for the view and for the prefetch that
 * prepares its answer (their cache keys must agree).
 */
export function useTopFunctionsQuery(): () => TopFunctionsQuery {
  const filters = useFiltersStore();
  const views = useViewsStore();
  return () => ({
    filters: filters.aggregateFilters,
    limit: TOP_FUNCTIONS_LIMIT,
    sortBy: views.topSortBy,
  });
}

/** Top functions' call: the view's and the prefetch's (they fill one answer cache). */
export const askTopFunctions = (
  session: RendererSession,
  q: TopFunctionsQuery,
  signal: AbortSignal,
): Promise<TopFunctionsAnswer> => session.topFunctions(q, { signal });
