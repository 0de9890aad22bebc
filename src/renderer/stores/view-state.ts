import { ref, watch } from 'vue';
import { checkViewState, type ViewState } from '../../shared/view-state/view-state';
import { busiestThread } from '../model/track-rows';
import { useFiltersStore } from './filters';
import { useRecordingStore } from './recording';
import { useTimelineStore } from './timeline';
import { TABS, useUiStore, type Tab } from './ui';
import { useViewsStore } from './views';

/** How long the view must rest before it is written (a drag or a typed search is one change). */
const SAVE_DELAY_MS = 400;

/**
 * One serialisable view state over the stores: `capture` reads it, `apply` writes a checked one
 * back (indexes the recording does not have are ignored), `reset` returns to the defaults.
 */
export function useViewState() {
  const recording = useRecordingStore();
  const filters = useFiltersStore();
  const timeline = useTimelineStore();
  const views = useViewsStore();
  const ui = useUiStore();

  function capture(): ViewState {
    const state: ViewState = { tab: ui.tab, event: filters.event };
    if (!filters.merge) state.merge = false;
    if (filters.frames !== 'all') state.frames = filters.frames;
    if (filters.selection) state.selection = { ...filters.selection };
    if (timeline.zoomed) state.zoom = { ...timeline.view };
    if (filters.selectedThread !== undefined) state.thread = filters.selectedThread;
    if (filters.scope !== 'all') state.scope = filters.scope;
    if (filters.transforms.length) state.transforms = [...filters.transforms];
    if (views.treeInverted) state.inverted = true;
    if (views.flameSearch) state.search = views.flameSearch;
    if (views.chartSearch) state.chartSearch = views.chartSearch;
    if (views.topSearch) state.topSearch = views.topSearch;
    if (views.treeSearch) state.treeSearch = views.treeSearch;
    if (views.flameFocus.length) state.flameFocus = [...views.flameFocus];
    return state;
  }

  function apply(raw: unknown): void {
    const s = checkViewState(raw);
    const summary = recording.summary;
    if (s.tab && TABS.some((t) => t.id === s.tab)) ui.tab = s.tab as Tab;
    if (s.event !== undefined && summary && s.event < summary.events.length)
      filters.event = s.event;
    if (s.merge !== undefined) filters.merge = s.merge;
    if (s.frames) filters.frames = s.frames;
    if (s.selection) filters.setSelection(s.selection);
    if (s.zoom) timeline.setView(s.zoom);
    if (s.thread !== undefined && s.thread < recording.threads.length)
      filters.selectThread(s.thread);
    if (s.scope) filters.scope = s.scope;
    if (s.transforms) filters.transforms = s.transforms;
    if (s.inverted !== undefined) views.setTreeInverted(s.inverted);
    if (s.search !== undefined) views.flameSearch = s.search;
    if (s.chartSearch !== undefined) views.chartSearch = s.chartSearch;
    if (s.topSearch !== undefined) views.topSearch = s.topSearch;
    if (s.treeSearch !== undefined) views.treeSearch = s.treeSearch;
    if (s.flameFocus) views.flameFocus = s.flameFocus;
  }

  function reset(): void {
    ui.tab = 'flame-graph';
    filters.event = recording.summary?.defaultEvent ?? 0;
    filters.merge = true;
    filters.frames = 'all';
    filters.setSelection(undefined);
    filters.scope = 'all';
    filters.transforms = [];
    filters.marked = undefined;
    filters.cpus = undefined;
    filters.selectedThread = busiestThread(recording.threads, filters.event);
    timeline.reset();
    views.setTreeInverted(false);
    views.treeExpanded = new Set();
    views.treeSelected = undefined;
    views.flameSearch = '';
    views.chartSearch = '';
    views.topSearch = '';
    views.treeSearch = '';
    views.flameFocus = [];
  }

  return { capture, apply, reset };
}

/**
 * Keeps the view state with the host (served mode: the URL; desktop: the preferences of this
 * recording): restores it when a recording is first shown, writes it after every change.
 */
export function persistViewState(): void {
  const recording = useRecordingStore();
  const { capture, apply } = useViewState();
  const restoredPath = ref<string>();
  let restoring = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  watch(
    () => recording.generation,
    async () => {
      const host = recording.host;
      const path = recording.summary?.meta.path;
      if (!host || path === undefined || path === restoredPath.value) return;
      restoredPath.value = path;
      restoring = true;
      try {
        apply(await host.viewState());
      } catch {
        // nothing kept, or the host could not read it: the defaults stand
      } finally {
        restoring = false;
      }
    },
  );

  watch(
    () =>
      recording.ready && restoredPath.value !== undefined ? JSON.stringify(capture()) : undefined,
    (text) => {
      if (text === undefined || restoring) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        recording.host?.saveViewState(JSON.parse(text) as ViewState).catch(() => {});
      }, SAVE_DELAY_MS);
    },
  );
}
