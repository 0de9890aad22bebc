import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { useFiltersStore } from '../../src/renderer/stores/filters';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import { useTimelineStore } from '../../src/renderer/stores/timeline';
import { useUiStore } from '../../src/renderer/stores/ui';
import { persistViewState, useViewState } from '../../src/renderer/stores/view-state';
import { useViewsStore } from '../../src/renderer/stores/views';
import type { ViewState } from '../../src/shared/view-state/view-state';
import { FakeHost, recordingSummary, settle } from './fake-host';

beforeEach(() => setActivePinia(createPinia()));

const VIEW: ViewState = {
  tab: 'call-tree',
  event: 0,
  merge: false,
  frames: 'user',
  selection: { start: 100, end: 900 },
  zoom: { start: 100_000, end: 600_000 },
  thread: 0,
  scope: 'thread',
  transforms: [{ kind: 'merge-function', name: 'malloc' }],
  inverted: true,
  search: 'parse',
  chartSearch: 'lex',
  flameFocus: [1, 2],
};

async function loaded(stored?: unknown) {
  const host = new FakeHost();
  host.storedView = stored;
  const scope = effectScope();
  scope.run(() => persistViewState());
  await useRecordingStore().attach(host);
  host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
  await settle();
  return { host, scope };
}

describe('the view state', () => {
  it('restores what the host kept for the recording, and keeps every later change', async () => {
    const { host, scope } = await loaded(VIEW);
    expect(useViewState().capture()).toEqual(VIEW);
    expect(useUiStore().tab).toBe('call-tree');
    expect(useFiltersStore().aggregateFilters).toMatchObject({
      merge: false,
      frames: 'user',
      transforms: [{ kind: 'merge-function', name: 'malloc' }],
    });
    useViewsStore().setTreeInverted(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(host.savedViews.at(-1)).toEqual({ ...VIEW, inverted: undefined });
    scope.stop();
  });

  it('ignores what does not fit the recording or is not a view state', async () => {
    await loaded({ ...VIEW, event: 7, thread: 9, tab: 'nowhere', transforms: 'x' });
    const state = useViewState().capture();
    expect(state.tab).toBe('flame-graph');
    expect(state.event).toBe(1);
    expect(state.thread).toBe(1);
    expect(state.transforms).toBeUndefined();
  });

  it('Reset view returns to the defaults', async () => {
    await loaded(VIEW);
    const { reset, capture } = useViewState();
    reset();
    expect(capture()).toEqual({ tab: 'flame-graph', event: 1, thread: 1 });
    expect(useTimelineStore().zoomed).toBe(false);
  });
});
