import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { TimeRange } from '../charts/time-viewport';
import { useFiltersStore } from './filters';
import { useRecordingStore } from './recording';
import { useTimelineStore } from './timeline';

/**
 * What each view remembers while another tab is shown: the flame graph's zoom path and search,
 * the flame chart's way back from its zooms, the sample list's expanded rows, the top-functions
 * choice.
 */
export const useViewsStore = defineStore('views', () => {
  const recording = useRecordingStore();
  const filters = useFiltersStore();
  const timeline = useTimelineStore();
  const flameFocus = ref<number[]>([]);
  const flameSearch = ref('');
  const flameWeight = ref<'period' | 'samples'>('period');
  /**
   * The flame chart's way back from zooming into boxes: the view before the first zoom, then
   * each zoom's view. Empty until a box is clicked. (The view itself is the timeline's.)
   */
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

  // A new selection is a new start: the way back led to views of the old one.
  watch(
    () => filters.selection,
    () => (chartZooms.value = []),
  );

  /** Zooms the shared time viewport into a flame chart box's range, remembering the way back. */
  function chartZoomIn(range: TimeRange): void {
    const history = chartZooms.value.length ? chartZooms.value : [timeline.view];
    timeline.setView(range);
    chartZooms.value = [...history, timeline.view];
  }

  /** Back to a view of the way back (0: the one before the first zoom). */
  function chartZoomBack(step: number): void {
    const target = chartZooms.value[step];
    if (!target) return;
    timeline.setView(target);
    chartZooms.value = step === 0 ? [] : chartZooms.value.slice(0, step + 1);
  }

  /** One zoom step back; false when the chart is not zoomed. */
  function chartZoomOut(): boolean {
    const n = chartZooms.value.length;
    if (n < 2) return false;
    chartZoomBack(n - 2);
    return true;
  }

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
    chartZoomIn,
    chartZoomBack,
    chartZoomOut,
    toggleSample,
  };
});
