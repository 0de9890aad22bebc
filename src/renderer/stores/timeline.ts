import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { MARKER_KINDS, type MarkerKindName } from '../../shared/contract';
import { clampView, spanOf, type TimeRange } from '../charts/time-viewport';
import type { TrackSort } from '../model/track-rows';
import { useRecordingStore } from './recording';

export const LABEL_WIDTH_DEFAULT = 280;
export const LABEL_WIDTH_MIN = 160;
export const LABEL_WIDTH_MAX = 640;
/** A view resting this long is asked about (see `queryView`). */
export const QUERY_REST_MS = 80;

/**
 * The one time viewport every time-based chart shares (the timeline and the flame chart below
 * it, which lines up with it): the visible window; gestures change it through
 * charts/time-gestures.ts. Also the timeline's own state: row order, collapsed processes.
 */
export const useTimelineStore = defineStore('timeline', () => {
  const recording = useRecordingStore();
  /** Everything there is: from the first sample to just past the last. */
  const bounds = computed<TimeRange>(() => ({
    start: 0,
    end: Math.max(1, (recording.summary?.meta.duration ?? 0) + 1),
  }));
  const view = shallowRef<TimeRange>({ start: 0, end: 1 });
  const sort = ref<TrackSort>('samples');
  const collapsed = shallowRef<ReadonlySet<number>>(new Set());
  const showIdle = ref(false);
  /** Width of the labels column of the timeline and the flame chart (dragged by its edge). */
  const labelWidth = ref(LABEL_WIDTH_DEFAULT);

  /**
   * The width of the time axis' graph column, in CSS pixels: the timeline's, and the flame
   * chart's, which lines up with it (set by the timeline; the flame chart's prefetch asks at it).
   */
  const graphWidth = ref(0);
  /** A selection being dragged on the timeline, until the release makes it the selection. */
  const dragSelection = shallowRef<TimeRange>();

  function setLabelWidth(px: number): void {
    labelWidth.value = Math.round(Math.max(LABEL_WIDTH_MIN, Math.min(LABEL_WIDTH_MAX, px)));
  }
  /** The marker lane's kinds shown (context switches are drawn on the thread tracks). */
  const markerKinds = shallowRef<ReadonlySet<MarkerKindName>>(new Set([...MARKER_KINDS, 'switch']));
  /** The group of per-CPU tracks, for recordings whose samples carry the CPU. */
  const showCpuTracks = ref(true);

  let shownPath: string | undefined;
  watch(
    () => recording.generation,
    () => {
      const path = recording.summary?.meta.path;
      if (path === shownPath) {
        view.value = clampView(view.value, bounds.value);
        return;
      }
      shownPath = path;
      view.value = bounds.value;
      collapsed.value = new Set();
    },
  );

  const zoomed = computed(() => spanOf(view.value) < spanOf(bounds.value));

  /**
   * The view the session is asked about: the view, except that a gesture's steps (wheel, keys,
   * dragging the axis: `stepView`) are asked about once the view rests QUERY_REST_MS; a view set
   * at once (`setView`: loading, reset, zoom to the selection, a sample brought into view) is
   * asked about at once. Asking on every frame of a gesture kept the session busy on one of the
   * two cores of the benchmark machine, and the renderer's frames waited for the CPU: main-thread
   * work per frame of a wheel zoom, p95, 19–24 ms against 13–15 ms. Asking at a gesture's first
   * step still did, for the frames of the gesture that followed it (the first frame of a zoom up
   * to 36 ms), and its answer landed in the middle of the gesture. Charts draw the answer they
   * have through the view meanwhile.
   */
  const queryView = shallowRef<TimeRange>(view.value);
  let restTimer: ReturnType<typeof setTimeout> | undefined;
  /** True while `stepView` changes the view. */
  let stepping = false;
  watch(
    view,
    (v) => {
      clearTimeout(restTimer);
      if (!stepping) queryView.value = v;
      else restTimer = setTimeout(() => (queryView.value = view.value), QUERY_REST_MS);
    },
    { flush: 'sync' },
  );

  function setView(next: TimeRange): void {
    view.value = clampView(next, bounds.value);
  }

  /** A step of a gesture: shown at once, asked about once the gesture rests. */
  function stepView(next: TimeRange): void {
    stepping = true;
    try {
      view.value = clampView(next, bounds.value);
    } finally {
      stepping = false;
    }
  }

  function reset(): void {
    view.value = bounds.value;
  }

  function toggleMarkerKind(kind: MarkerKindName): void {
    const next = new Set(markerKinds.value);
    if (!next.delete(kind)) next.add(kind);
    markerKinds.value = next;
  }

  function toggleProcess(pid: number): void {
    const next = new Set(collapsed.value);
    if (!next.delete(pid)) next.add(pid);
    collapsed.value = next;
  }

  return {
    bounds,
    view,
    queryView,
    sort,
    collapsed,
    showIdle,
    labelWidth,
    graphWidth,
    dragSelection,
    setLabelWidth,
    markerKinds,
    showCpuTracks,
    zoomed,
    setView,
    stepView,
    reset,
    toggleProcess,
    toggleMarkerKind,
  };
});
