import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { TimeRange } from '../charts/time-viewport';
import { useRecordingStore } from './recording';

/**
 * What each view remembers while another tab is shown: the flame graph's zoom path and search,
 * the flame chart's zoom history, the sample list's expanded rows, the top-functions choice.
 */
export const useViewsStore = defineStore('views', () => {
  const recording = useRecordingStore();
  const flameFocus = ref<number[]>([]);
  const flameSearch = ref('');
  const flameWeight = ref<'period' | 'samples'>('period');
  /** Flame chart zoom history: each entry a view range; empty = the whole selection. */
  const chartZooms = shallowRef<TimeRange[]>([]);
  const chartSearch = ref('');
  const expandedSamples = shallowRef<ReadonlySet<number>>(new Set());
  const topSortBy = ref<'self' | 'total'>('self');
  const topSelected = ref<number>();
  /** Asks the search box of the visible view to take focus (a counter: every ask counts). */
  const focusSearchRequest = ref(0);

  watch(
    () => recording.summary?.meta.path,
    () => {
      flameFocus.value = [];
      chartZooms.value = [];
      expandedSamples.value = new Set();
      topSelected.value = undefined;
    },
  );

  function zoomFlameOut(): boolean {
    if (!flameFocus.value.length) return false;
    flameFocus.value = flameFocus.value.slice(0, -1);
    return true;
  }

  function toggleSample(index: number): void {
    const next = new Set(expandedSamples.value);
    if (!next.delete(index)) next.add(index);
    expandedSamples.value = next;
  }

  return {
    flameFocus,
    flameSearch,
    flameWeight,
    chartZooms,
    chartSearch,
    expandedSamples,
    topSortBy,
    topSelected,
    focusSearchRequest,
    zoomFlameOut,
    toggleSample,
  };
});
