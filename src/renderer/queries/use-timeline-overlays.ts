import { computed, onScopeDispose, watch, type Ref } from 'vue';
import type {
  CpuTracksAnswer,
  Filters,
  MarkerKindName,
  MarkersAnswer,
  SampleAtAnswer,
} from '../../shared/contract';
import type { Nanoseconds } from '../../shared/model';
import { LANE_KINDS, laneRows } from '../model/marker-lane';
import { perfMark } from '../model/perf-marks';
import { useFiltersStore } from '../stores/filters';
import { useRecordingStore } from '../stores/recording';
import { useTimelineStore } from '../stores/timeline';
import { useViewsStore } from '../stores/views';
import { useSessionQuery } from './use-session-query';

/** The session's widest CPU-track answer (REQUEST_LIMITS.cpuTrackBins). */
const MAX_CPU_TRACK_BINS = 4096;

/**
 * What the timeline asks the session for besides its activity bins: the marker lane (every
 * thread's markers of the kinds shown), the visible threads' context switches, the per-CPU
 * tracks, and the sample under the cursor. Answers land in plain fields (drawn in the panel's
 * next frame, `redraw`); the hover keeps one call in flight and asks again for the latest
 * position when it returns.
 */
export function useTimelineOverlays(options: {
  width: Ref<number>;
  threads: Ref<readonly number[]>;
  /** The filters of the activity bins (event, transforms) that CPU tracks follow too. */
  binFilters: () => Filters;
  redraw: () => void;
}) {
  const filters = useFiltersStore();
  const timeline = useTimelineStore();
  const recording = useRecordingStore();
  const views = useViewsStore();
  const hasSwitches = computed(() => recording.summary?.meta.switchSource !== undefined);
  const laneKinds = computed(() => LANE_KINDS.filter((k) => timeline.markerKinds.has(k)));
  const range = (): { start: Nanoseconds; end: Nanoseconds } => ({ ...timeline.queryView });

  const lane = useSessionQuery(
    () =>
      options.width.value > 0 && laneKinds.value.length
        ? { filters: { range: range() }, bins: options.width.value, kinds: [...laneKinds.value] }
        : undefined,
    (session, q, signal) => session.markers(q, { signal }),
    { mode: 'coalesce' },
  );

  /**
   * The kinds the whole recording has (of those shown): the lane has a row for each, whatever
   * the view shows. Rows that came and went with the view changed the lane's height, and with it
   * the layout of every track below and the size of the lane's canvas, in the middle of a zoom
   * (one frame of 29 ms on the benchmark recording, 14 ms of it in the new canvas' commit).
   */
  const whole = useSessionQuery(
    () =>
      laneKinds.value.length
        ? { filters: {}, bins: 1, kinds: [...laneKinds.value], limit: 0 }
        : undefined,
    (session, q, signal) => session.markers(q, { signal }),
  );

  const switches = useSessionQuery(
    () =>
      hasSwitches.value &&
      timeline.markerKinds.has('switch') &&
      options.width.value > 0 &&
      options.threads.value.length
        ? {
            filters: { range: range(), threads: [...options.threads.value] },
            bins: options.width.value,
            kinds: ['switch' as const],
          }
        : undefined,
    (session, q, signal) => session.markers(q, { signal }),
    { mode: 'coalesce' },
  );

  const cpuTracks = useSessionQuery(
    () =>
      timeline.showCpuTracks && options.width.value > 0
        ? {
            filters: { ...options.binFilters(), range: range() },
            bins: Math.min(options.width.value, MAX_CPU_TRACK_BINS),
          }
        : undefined,
    (session, q, signal) => session.cpuTracks(q, { signal }),
    { mode: 'coalesce' },
  );

  /** Switch answers by thread track, for the rows' drawing. */
  const switchesByThread = new Map<number, MarkersAnswer['switches'][number]>();
  watch(switches.data, (answer) => {
    switchesByThread.clear();
    for (const row of answer?.switches ?? []) switchesByThread.set(row.thread, row);
    options.redraw();
  });
  watch([lane.data, cpuTracks.data], () => options.redraw());
  // Off: nothing of it is drawn (the last answer stays in the query until it is asked again).
  const laneAnswer = (): MarkersAnswer | undefined =>
    laneKinds.value.length ? lane.data.value : undefined;
  /** The lane's rows: the kinds of the whole recording (and of the view's answer, if it has more). */
  const laneRowKinds = (): MarkerKindName[] =>
    laneKinds.value.length ? laneRows(whole.data.value, lane.data.value) : [];
  const switchAnswer = (): MarkersAnswer | undefined =>
    timeline.markerKinds.has('switch') ? switches.data.value : undefined;
  const cpuAnswer = (): CpuTracksAnswer | undefined =>
    timeline.showCpuTracks ? cpuTracks.data.value : undefined;

  // ---- the sample under the cursor ----------------------------------------------------------

  let hoverInFlight = false;
  let hoverWanted: { thread: number; time: Nanoseconds } | undefined;
  let hoverShown: SampleAtAnswer | undefined;
  let onHoverAnswer:
    ((hit: SampleAtAnswer | undefined, time: Nanoseconds | undefined) => void) | undefined;
  let disposed = false;
  onScopeDispose(() => (disposed = true));

  function askHover(): void {
    const session = recording.session;
    const want = hoverWanted;
    if (!session || !want || hoverInFlight) return;
    hoverInFlight = true;
    const asked = performance.now();
    session
      .sampleAt({
        thread: want.thread,
        time: want.time,
        // the sample list's own filters (the selection, its merge status), so `row` is its row
        filters: filters.threadViewFilters,
        ...(views.sampleListStatus ? { mergeStatus: views.sampleListStatus } : {}),
      })
      .then(
        (hit) => {
          if (disposed) return;
          hoverShown = hit ?? undefined;
          // the answer still applies if the pointer is on the same thread
          if (hoverWanted?.thread === want.thread) {
            const t0 = performance.now();
            onHoverAnswer?.(hoverShown, want.time);
            perfMark('perfws:hover-drawn', {
              ms: performance.now() - t0,
              sinceAskedMs: performance.now() - asked,
            });
          }
        },
        () => undefined,
      )
      .finally(() => {
        hoverInFlight = false;
        if (hoverWanted && (hoverWanted.thread !== want.thread || hoverWanted.time !== want.time))
          askHover();
      });
  }

  /** The pointer is over `thread`'s track at `time` (undefined: it left the tracks). */
  function hover(thread: number | undefined, time: Nanoseconds | undefined): void {
    hoverWanted = thread === undefined || time === undefined ? undefined : { thread, time };
    if (!hoverWanted) {
      hoverShown = undefined;
      onHoverAnswer?.(undefined, undefined);
      return;
    }
    askHover();
  }

  return {
    hasSwitches,
    laneKinds,
    laneAnswer,
    laneRowKinds,
    switchAnswer,
    switchesByThread,
    cpuAnswer,
    hover,
    /** The last hover answer (the sample a click selects). */
    hovered: () => hoverShown,
    onHover: (f: (hit: SampleAtAnswer | undefined, time: Nanoseconds | undefined) => void) =>
      (onHoverAnswer = f),
  };
}
