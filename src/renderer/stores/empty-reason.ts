import { computed, type ComputedRef } from 'vue';
import type { ThreadSummary } from '../../shared/contract';
import { emptyReason, processScopeLabel, threadScopeLabel } from '../model/empty-reason';
import { useFiltersStore } from './filters';
import { useRecordingStore } from './recording';

/**
 * The sentence a view shows when its answer is empty, by its real cause. `aggregate` views
 * follow the scope (all threads, the selected thread's process, the thread); `thread` views
 * show the selected thread.
 */
export function useEmptyReason(kind: 'aggregate' | 'thread'): ComputedRef<string> {
  const recording = useRecordingStore();
  const filters = useFiltersStore();
  return computed(() => {
    const summary = recording.summary;
    if (!summary) return '';
    const thread = filters.selectedThreadInfo;
    let threads: readonly ThreadSummary[] = recording.threads;
    let scopeLabel: string | undefined;
    if (thread && (kind === 'thread' || filters.scope === 'thread')) {
      threads = [thread];
      scopeLabel = threadScopeLabel(thread);
    } else if (thread && filters.scope === 'process') {
      threads = recording.threads.filter((t) => t.pid === thread.pid);
      scopeLabel = processScopeLabel(thread);
    }
    return emptyReason({
      summary,
      event: filters.event,
      threads,
      scopeLabel,
      hasSelection: filters.selection !== undefined,
      transforms: filters.transforms,
    });
  });
}
