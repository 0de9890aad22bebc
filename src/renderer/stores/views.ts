import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { MergeStatusFilter, Weight } from '../../shared/contract';
import type { TimeRange } from '../charts/time-viewport';
import { useFiltersStore } from './filters';
import { useRecordingStore } from './recording';
import { useTimelineStore } from './timeline';
import type { Tab } from './ui';

/**
 * What each view remembers while another tab is shown: the flame graph's zoom path and search,
 * the flame chart's way back from its zooms, the sample list's expanded rows, the top-functions
 * choice. Each view's search is its own: searching one view never filters another.
 */
export const useViewsStore = defineStore('views', () => {
  const recording = useRecordingStore();
  const filters = useFiltersStore();
  const timeline = useTimelineStore();
  const flameFocus = ref<number[]>([]);
  const flameSearch = ref('');
  /** What the flame graph's and the call tree's widths measure (one choice for both). */
  const flameWeight = ref<Weight>('period');
  /**
   * The flame chart's way back from zooming into boxes: the view before the first zoom, then
   * each zoom's view. Empty until a box is clicked. (The view itself is the timeline's.)
   */
  const chartZooms = shallowRef<TimeRange[]>([]);
  const chartSearch = ref('');
  const expandedSamples = shallowRef<ReadonlySet<number>>(new Set());
  /** The sample list's merge-status filter (every sample when undefined). */
  const sampleStatus = ref<MergeStatusFilter>();
  /** That filter where it applies: where the list shows the merge column (deferred samples). */
  const sampleListStatus = computed(() =>
    (recording.summary?.meta.merge.deferredSamples ?? 0) > 0 ? sampleStatus.value : undefined,
  );
  const topSortBy = ref<'self' | 'total'>('self');
  const topSearch = ref('');
  const treeSearch = ref('');
  const topSelected = ref<number>();
  /** Call tree: bottom-up or not, sort, expanded nodes (path keys), the selected node's path. */
  const treeInverted = ref(false);
  const treeSortBy = ref<'total' | 'self'>('total');
  const treeExpanded = shallowRef<ReadonlySet<string>>(new Set());
  const treeSelected = shallowRef<readonly number[]>();
  /** A function to show in the call tree (its heaviest node, expanded to and selected). */
  const treeReveal = ref<number>();
  /** A sample to show and select in the sample list (a click on the timeline), by its row. */
  const sampleReveal = shallowRef<{ thread: number; row: number }>();
  /** Asks the search box of the visible view to take focus (a counter: every ask counts). */
  const focusSearchRequest = ref(0);

  watch(
    () => recording.summary?.meta.path,
    () => {
      flameFocus.value = [];
      chartZooms.value = [];
      expandedSamples.value = new Set();
      sampleStatus.value = undefined;
      topSelected.value = undefined;
      treeExpanded.value = new Set();
      treeSelected.value = undefined;
      // off-CPU time needs switches: another recording may have none
      if (flameWeight.value === 'off-cpu') flameWeight.value = 'period';
    },
  );

  // A new selection is a new start: the way back led to views of the old one.
  watch(
    () => filters.selection,
    () => (chartZooms.value = []),
  );

  /** The function each zoom step went into (its breadcrumb), by the step's view. */
  const chartZoomFunctions = new WeakMap<TimeRange, string>();

  /**
   * Zooms the shared time viewport into a flame chart box's range (of function `name`),
   * remembering the way back.
   */
  function chartZoomIn(range: TimeRange, name?: string): void {
    const history = chartZooms.value.length ? chartZooms.value : [timeline.view];
    timeline.setView(range);
    if (name !== undefined) chartZoomFunctions.set(timeline.view, name);
    chartZooms.value = [...history, timeline.view];
  }

  /** The function a zoom step went into, if it was a box's. */
  function chartZoomFunction(step: TimeRange): string | undefined {
    return chartZoomFunctions.get(step);
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

  /** Selects a top-down call node (from another view) and expands the tree down to it. */
  function selectCallNode(path: readonly number[]): void {
    if (treeInverted.value || !path.length) return;
    const next = new Set(treeExpanded.value);
    for (let k = 1; k < path.length; k++) next.add(path.slice(0, k).join(','));
    treeExpanded.value = next;
    treeSelected.value = [...path];
  }

  /** Inverting the tree changes what every path means: start from its roots. */
  function setTreeInverted(inverted: boolean): void {
    if (treeInverted.value === inverted) return;
    treeInverted.value = inverted;
    treeExpanded.value = new Set();
    treeSelected.value = undefined;
  }

  /**
   * Searches `pattern` in the view on `tab` (the flame graph for views without a search) and
   * returns the tab that shows the search.
   */
  function searchIn(tab: Tab, pattern: string): Tab {
    switch (tab) {
      case 'flame-chart':
        chartSearch.value = pattern;
        return tab;
      case 'top-functions':
        topSearch.value = pattern;
        return tab;
      case 'call-tree':
        treeSearch.value = pattern;
        return tab;
      case 'summary':
      case 'flame-graph':
      case 'samples':
      case 'annotate':
        flameSearch.value = pattern;
        return 'flame-graph';
      default: {
        const never: never = tab;
        return never;
      }
    }
  }

  function zoomFlameOut(): boolean {
    if (!flameFocus.value.length) return false;
    flameFocus.value = flameFocus.value.slice(0, -1);
    return true;
  }

  /** The "N unmerged" badge: that thread's unmerged samples in the sample list. */
  function showUnmergedSamples(thread: number): Tab {
    filters.selectThread(thread);
    sampleStatus.value = 'unmerged';
    return 'samples';
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
    sampleStatus,
    sampleListStatus,
    topSortBy,
    topSearch,
    treeSearch,
    topSelected,
    treeInverted,
    treeSortBy,
    treeExpanded,
    treeSelected,
    treeReveal,
    sampleReveal,
    setTreeInverted,
    selectCallNode,
    focusSearchRequest,
    searchIn,
    zoomFlameOut,
    chartZoomIn,
    chartZoomFunction,
    chartZoomBack,
    chartZoomOut,
    toggleSample,
    showUnmergedSamples,
  };
});
