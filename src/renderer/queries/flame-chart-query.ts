import type { FlameChartAnswer, FlameChartQuery } from '../../shared/contract';
import { intersect } from '../charts/time-viewport';
import { threadSamples } from '../model/track-rows';
import { useFiltersStore } from '../stores/filters';
import { useTimelineStore } from '../stores/timeline';
import type { RendererSession } from './renderer-session';

/**
 * What the flame chart asks the session for at a given width: the selected thread's samples in
 * the time viewport (inside the selection when there is one), or undefined while it cannot ask.
 * One function for the view and for the prefetch that prepares its answer (their cache keys
 * must agree).
 */
export function useFlameChartQuery(width: () => number): () => FlameChartQuery | undefined {
  const filters = useFiltersStore();
  const timeline = useTimelineStore();
  return () => {
    const thread = filters.selectedThreadInfo;
    const view = timeline.queryView;
    const range = filters.selection ? intersect(view, filters.selection) : view;
    const w = width();
    return thread && threadSamples(thread, filters.event) > 0 && range && w > 0
      ? {
          thread: thread.index,
          filters: { ...filters.threadViewFilters, range: { ...range } },
          width: Math.round(w),
        }
      : undefined;
  };
}

/** The flame chart's call: the view's and the prefetch's (they fill one answer cache). */
export const askFlameChart = (
  session: RendererSession,
  q: FlameChartQuery,
  signal: AbortSignal,
): Promise<FlameChartAnswer> => session.flameChart(q, { signal });

/** Flame chart answers alike: the same question at another width (a level of detail apart). */
export const flameChartAlike = (q: FlameChartQuery): unknown => ({ ...q, width: undefined });
