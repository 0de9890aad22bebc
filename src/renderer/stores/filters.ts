import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Filters, Transform } from '../../shared/contract';
import type { Nanoseconds } from '../../shared/model';
import type { TimeRange } from '../charts/time-viewport';
import type { WeightUnit } from '../format/numbers';
import { busiestThread } from '../model/track-rows';
import { useRecordingStore } from './recording';

/** Which threads the aggregate views (flame graph, top functions, export) look at. */
export type Scope = 'all' | 'process' | 'thread';

/** A sample picked in the list, marked on the timeline and the flame chart. */
export interface MarkedSample {
  thread: number;
  index: number;
  time: Nanoseconds;
}

/**
 * What every view looks at: event, merge, kernel frames, the time selection, the selected
 * thread and the scope. Views derive their session Filters from here, so one change updates all.
 */
export const useFiltersStore = defineStore('filters', () => {
  const recording = useRecordingStore();
  const event = ref(0);
  const merge = ref(true);
  const frames = ref<NonNullable<Filters['frames']>>('all');
  const selection = shallowRef<TimeRange>();
  const selectedThread = ref<number>();
  const scope = ref<Scope>('all');
  const marked = shallowRef<MarkedSample>();
  /** A CPU track clicked: every view looks only at that CPU's samples (and off-CPU intervals). */
  const cpus = shallowRef<readonly number[]>();
  /** The transform stack (the breadcrumb above the views), applied in order by every query. */
  const transforms = shallowRef<readonly Transform[]>([]);

  // A new recording starts from its defaults; a reconnect to the same one keeps the user's view.
  let shownPath: string | undefined;
  watch(
    () => recording.generation,
    () => {
      const summary = recording.summary;
      if (!summary) return;
      const samePath = summary.meta.path === shownPath;
      shownPath = summary.meta.path;
      if (samePath && event.value < summary.events.length) return;
      event.value = summary.defaultEvent;
      merge.value = true;
      frames.value = 'all';
      selection.value = undefined;
      scope.value = 'all';
      marked.value = undefined;
      cpus.value = undefined;
      transforms.value = [];
      selectedThread.value = busiestThread(recording.threads, event.value);
    },
  );

  const selectedThreadInfo = computed(() =>
    selectedThread.value === undefined ? undefined : recording.threads[selectedThread.value],
  );

  const eventInfo = computed(() => recording.summary?.events[event.value]);

  /** Periods of cpu-clock and task-clock are nanoseconds of CPU time. */
  const periodUnit = computed<WeightUnit>(() => (eventInfo.value?.periodIsTime ? 'ns' : 'events'));

  /** Filters for the views that follow the selection but not the scope (per-thread views). */
  const threadViewFilters = computed<Filters>(() => threadViewFiltersWith(selection.value));
  function threadViewFiltersWith(range: TimeRange | undefined): Filters {
    return {
      event: event.value,
      merge: merge.value,
      frames: frames.value,
      ...(range ? { range: { ...range } } : {}),
      ...(transforms.value.length ? { transforms: [...transforms.value] } : {}),
      ...(cpus.value ? { cpus: [...cpus.value] } : {}),
    };
  }

  /** Filters for the aggregate views: the above plus the scope. */
  const aggregateFilters = computed<Filters>(() => aggregateFiltersWith(selection.value));
  /** The aggregate filters as they would be with `range` selected (the same object shape). */
  function aggregateFiltersWith(range: TimeRange | undefined): Filters {
    const base = threadViewFiltersWith(range);
    const thread = selectedThreadInfo.value;
    if (scope.value === 'thread' && thread) return { ...base, threads: [thread.index] };
    if (scope.value === 'process' && thread) return { ...base, pids: [thread.pid] };
    return base;
  }

  function selectThread(index: number): void {
    selectedThread.value = index;
  }

  function setSelection(range: TimeRange | undefined): void {
    selection.value = range && range.end > range.start ? range : undefined;
  }

  /** Filters every view to one CPU; the same CPU again (or none) shows every CPU. */
  function toggleCpu(cpu: number | undefined): void {
    cpus.value = cpu === undefined || cpus.value?.[0] === cpu ? undefined : [cpu];
  }

  function addTransform(t: Transform): void {
    transforms.value = [...transforms.value, t];
  }

  /** Removes step `k` and every step after it (they were made on top of it). */
  function removeTransformsFrom(k: number): void {
    transforms.value = transforms.value.slice(0, Math.max(0, k));
  }

  function toggleMerge(): void {
    merge.value = !merge.value;
  }

  /** The kernel toggle switches between all frames and user frames only. */
  function toggleKernel(): void {
    frames.value = frames.value === 'all' ? 'user' : 'all';
  }

  return {
    event,
    merge,
    frames,
    selection,
    selectedThread,
    selectedThreadInfo,
    scope,
    marked,
    cpus,
    transforms,
    eventInfo,
    periodUnit,
    threadViewFilters,
    aggregateFilters,
    aggregateFiltersWith,
    selectThread,
    setSelection,
    toggleCpu,
    addTransform,
    removeTransformsFrom,
    toggleMerge,
    toggleKernel,
  };
});
