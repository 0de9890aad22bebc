import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import type { FlameChartAnswer, FlameChartQuery } from '../../src/shared/contract';
import { useActions } from '../../src/renderer/keyboard/actions';
import { usePrefetch, useSessionQuery } from '../../src/renderer/queries/use-session-query';
import { useFiltersStore } from '../../src/renderer/stores/filters';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import { useTimelineStore } from '../../src/renderer/stores/timeline';
import { useUiStore } from '../../src/renderer/stores/ui';
import { useViewsStore } from '../../src/renderer/stores/views';
import { FakeHost, recordingSummary, settle } from './fake-host';

beforeEach(() => setActivePinia(createPinia()));

async function loaded(host = new FakeHost()) {
  const recording = useRecordingStore();
  const filters = useFiltersStore();
  const timeline = useTimelineStore();
  await recording.attach(host);
  host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
  await settle();
  return { host, recording, filters, timeline };
}

describe('the recording store', () => {
  it('connects to the session once the host says loaded, and lets go when it crashes', async () => {
    const { host, recording } = await loaded();
    expect(recording.ready).toBe(true);
    expect(recording.threads.map((t) => t.name)).toEqual(['app', 'worker']);
    expect(recording.generation).toBe(1);
    host.setState({ phase: 'crashed', name: 'perf.data', message: 'killed' });
    await settle();
    expect(recording.ready).toBe(false);
    expect(recording.session).toBeUndefined();
  });

  it('shows loading progress states as they come', async () => {
    const host = new FakeHost();
    const recording = useRecordingStore();
    await recording.attach(host);
    host.setState({
      phase: 'loading',
      name: 'perf.data',
      progress: { phase: 'reading', done: 5, total: 10 },
    });
    expect(recording.state).toMatchObject({ phase: 'loading', progress: { done: 5 } });
    expect(recording.ready).toBe(false);
  });
});

describe('filters', () => {
  it('start from the recording: default event, merged, all frames, the busiest thread', async () => {
    const { filters, timeline } = await loaded();
    expect(filters.event).toBe(1);
    expect(filters.periodUnit).toBe('ns');
    expect(filters.selectedThread).toBe(1);
    expect(filters.aggregateFilters).toEqual({ event: 1, merge: true, frames: 'all' });
    expect(timeline.view).toEqual({ start: 0, end: 1_000_001 });
  });

  it('combine the selection, merge, kernel frames and scope for the aggregate views', async () => {
    const { filters } = await loaded();
    filters.setSelection({ start: 100, end: 500 });
    filters.toggleMerge();
    filters.toggleKernel();
    filters.scope = 'process';
    expect(filters.aggregateFilters).toEqual({
      event: 1,
      merge: false,
      frames: 'user',
      range: { start: 100, end: 500 },
      pids: [10],
    });
    filters.scope = 'thread';
    expect(filters.aggregateFilters.threads).toEqual([1]);
    expect(filters.threadViewFilters.threads).toBeUndefined();
    filters.setSelection({ start: 5, end: 5 });
    expect(filters.selection).toBeUndefined();
  });

  it('keep the view across a reconnect to the same recording, reset for another one', async () => {
    const { host, filters } = await loaded();
    filters.toggleMerge();
    host.setState({ phase: 'crashed', name: 'perf.data', message: 'x' });
    host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
    await settle();
    expect(filters.merge).toBe(false);
    host.setState({ phase: 'loading', name: 'other.data', progress: undefined });
    host.setState({
      phase: 'loaded',
      name: 'other.data',
      summary: recordingSummary('/rec/other.data'),
    });
    await settle();
    expect(filters.merge).toBe(true);
  });
});

describe('session queries', () => {
  it('follow their arguments, and only the newest answer counts', async () => {
    const resolvers: ((v: unknown) => void)[] = [];
    const host = new FakeHost({
      topFunctions: (q: unknown) =>
        new Promise((resolve) =>
          resolvers.push(() => resolve({ total: (q as { limit: number }).limit, rows: [] })),
        ),
    });
    await loaded(host);
    const limit = ref(1);
    const scope = effectScope();
    const query = scope.run(() =>
      useSessionQuery(
        () => ({ filters: {}, limit: limit.value }),
        (session, q, signal) => session.topFunctions(q, { signal }),
      ),
    )!;
    await settle();
    limit.value = 2;
    await nextTick();
    await settle();
    expect(resolvers).toHaveLength(2);
    resolvers[1]!(undefined);
    await settle();
    expect(query.data.value?.total).toBe(2);
    resolvers[0]!(undefined); // the stale answer arrives last: ignored
    await settle();
    expect(query.data.value?.total).toBe(2);
    scope.stop();
  });

  it('in coalesce mode run one call at a time and skip the arguments overtaken meanwhile', async () => {
    const resolvers: (() => void)[] = [];
    const host = new FakeHost({
      timeline: (q: unknown) =>
        new Promise((resolve) =>
          resolvers.push(() =>
            resolve({ start: 0, end: 1, rows: [], max: (q as { bins: number }).bins }),
          ),
        ),
    });
    await loaded(host);
    const bins = ref(1);
    const scope = effectScope();
    const query = scope.run(() =>
      useSessionQuery(
        () => ({ filters: {}, bins: bins.value }),
        (session, q, signal) => session.timeline(q, { signal }),
        { mode: 'coalesce' },
      ),
    )!;
    await settle();
    for (const b of [2, 3, 4]) {
      bins.value = b;
      await nextTick();
    }
    await settle();
    expect(resolvers).toHaveLength(1);
    resolvers[0]!();
    await settle();
    expect(query.data.value?.max).toBe(1); // shown: any answer can be drawn
    expect(resolvers).toHaveLength(2); // then straight to the latest arguments
    resolvers[1]!();
    await settle();
    expect(query.data.value?.max).toBe(4);
    expect(host.calls.filter((c) => c.method === 'timeline')).toHaveLength(2);
    scope.stop();
  });
});

describe('filters for a dragged selection', () => {
  it('are those its release gives (one cache key), scope and CPUs included', async () => {
    const { filters } = await loaded();
    filters.scope = 'thread';
    filters.toggleCpu(1);
    const r = { start: 10, end: 20 };
    const dragged = JSON.stringify(filters.aggregateFiltersWith(r));
    filters.setSelection(r);
    expect(JSON.stringify(filters.aggregateFilters)).toBe(dragged);
    expect(filters.aggregateFilters).toMatchObject({ range: r, threads: [1], cpus: [1] });
  });
});

describe('cached session queries', () => {
  it('answer arguments asked before at once, without a call, in another mount too', async () => {
    const host = new FakeHost({
      topFunctions: async (q: unknown) => ({
        total: (q as { limit: number }).limit,
        rows: [],
      }),
    });
    await loaded(host);
    const mount = (limit: number) => {
      const scope = effectScope();
      const query = scope.run(() =>
        useSessionQuery(
          () => ({ filters: {}, limit }),
          (session, q, signal) => session.topFunctions(q, { signal }),
          { cache: 'top' },
        ),
      )!;
      return { scope, query };
    };
    const first = mount(10);
    await settle();
    expect(first.query.data.value?.total).toBe(10);
    first.scope.stop();
    const calls = () => host.calls.filter((c) => c.method === 'topFunctions').length;
    expect(calls()).toBe(1);
    // the view opened again: its answer in the same tick, no call
    const again = mount(10);
    expect(again.query.data.value?.total).toBe(10);
    expect(again.query.pending.value).toBe(false);
    await settle();
    expect(calls()).toBe(1);
    // other arguments still ask the session
    const other = mount(20);
    await settle();
    expect(other.query.data.value?.total).toBe(20);
    expect(calls()).toBe(2);
    again.scope.stop();
    other.scope.stop();
  });
});

describe('prefetched and alike answers', () => {
  /** An empty flame chart that says which width was asked (in `start`). */
  const answerFor = (q: FlameChartQuery): FlameChartAnswer => ({
    start: q.width,
    end: 0,
    depth: new Uint16Array(),
    boxStart: new Float64Array(),
    boxEnd: new Float64Array(),
    func: new Int32Array(),
    funcs: {},
    maxDepth: 0,
  });
  const flameChartHost = () => new FakeHost({ flameChart: async (q) => answerFor(q) });
  const flameCharts = (host: FakeHost) => host.calls.filter((c) => c.method === 'flameChart');
  const mountChart = (width: number) => {
    const scope = effectScope();
    const query = scope.run(() =>
      useSessionQuery(
        (): FlameChartQuery => ({ thread: 1, filters: {}, width }),
        (session, q, signal) => session.flameChart(q, { signal }),
        { cache: 'chart', alike: (q) => ({ ...q, width: undefined }) },
      ),
    )!;
    return { scope, query };
  };

  it('a prefetch asks once the arguments rest, and the view then answers from the cache', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const host = flameChartHost();
      const load = loaded(host);
      await vi.runAllTimersAsync();
      await load;
      const width = ref(100);
      const wanted = ref(true);
      const scope = effectScope();
      scope.run(() =>
        usePrefetch(
          (): FlameChartQuery | undefined =>
            wanted.value ? { thread: 1, filters: {}, width: width.value } : undefined,
          (session, q, signal) => session.flameChart(q, { signal }),
          { cache: 'chart', restMs: 300, alike: (q) => ({ ...q, width: undefined }) },
        ),
      );
      // arguments that change within the rest are never asked
      width.value = 200;
      await nextTick();
      await vi.advanceTimersByTimeAsync(299);
      expect(flameCharts(host)).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      await vi.runAllTimersAsync();
      expect(flameCharts(host)).toHaveLength(1);
      const chart = mountChart(200);
      expect(chart.query.data.value?.start).toBe(200);
      await vi.runAllTimersAsync();
      expect(flameCharts(host)).toHaveLength(1);
      chart.scope.stop();
      // not wanted (the view is open): nothing is asked
      wanted.value = false;
      width.value = 300;
      await nextTick();
      await vi.runAllTimersAsync();
      expect(flameCharts(host)).toHaveLength(1);
      scope.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a view asking what a prefetch is still computing waits for it: one call', async () => {
    let resolve: (() => void) | undefined;
    const host = new FakeHost({
      flameChart: (q: FlameChartQuery) =>
        new Promise<FlameChartAnswer>((done) => {
          resolve = () => done(answerFor(q));
        }),
    });
    await loaded(host);
    const wanted = ref(true);
    const scope = effectScope();
    scope.run(() =>
      usePrefetch(
        (): FlameChartQuery | undefined =>
          wanted.value ? { thread: 1, filters: {}, width: 100 } : undefined,
        (session, q, signal) => session.flameChart(q, { signal }),
        { cache: 'chart', restMs: 0 },
      ),
    );
    await settle();
    expect(flameCharts(host)).toHaveLength(1);
    // the view opens (the prefetch is no longer wanted) before the answer came
    wanted.value = false;
    const chart = mountChart(100);
    await settle();
    expect(chart.query.data.value).toBeUndefined();
    resolve!();
    await settle();
    expect(chart.query.data.value?.start).toBe(100);
    expect(flameCharts(host)).toHaveLength(1);
    chart.scope.stop();
    scope.stop();
  });

  it('a view with nothing shown shows an alike answer at once, then its own', async () => {
    const host = flameChartHost();
    await loaded(host);
    const first = mountChart(100);
    await settle();
    first.scope.stop();
    const wider = mountChart(120);
    // the answer at width 100 stands in, in the same tick
    expect(wider.query.data.value?.start).toBe(100);
    await settle();
    expect(wider.query.data.value?.start).toBe(120);
    expect(flameCharts(host)).toHaveLength(2);
    wider.scope.stop();
  });
});

describe('actions', () => {
  it('run menu commands and shortcuts through one place', async () => {
    const { host, filters, timeline } = await loaded();
    const ui = useUiStore();
    const scope = effectScope();
    const actions = scope.run(() => useActions())!;
    actions.runHostCommand({ type: 'toggle-merge' });
    expect(filters.merge).toBe(false);
    actions.runHostCommand({ type: 'theme', theme: 'dark' });
    expect(ui.theme).toBe('dark');
    actions.runHostCommand({ type: 'zoom', direction: 'in' });
    expect(timeline.view.end - timeline.view.start).toBeCloseTo(500_000.5, 3);
    actions.run('zoom-reset');
    expect(timeline.zoomed).toBe(false);
    filters.setSelection({ start: 10, end: 20_000 });
    actions.run('zoom-to-selection');
    expect(timeline.view).toEqual({ start: 10, end: 20_000 });
    actions.run('escape');
    expect(filters.selection).toBeUndefined();
    await actions.exportFolded();
    expect(host.exports).toEqual([{ filters: { event: 1, merge: false, frames: 'all' } }]);
    // File → Export → pprof: the same filters, the format named
    actions.runHostCommand({ type: 'export-folded', format: 'pprof' });
    await vi.waitFor(() => expect(host.exports).toHaveLength(2));
    expect(host.exports[1]).toEqual({
      filters: { event: 1, merge: false, frames: 'all' },
      format: 'pprof',
    });
    actions.runHostCommand({ type: 'about' });
    expect(ui.aboutOpen).toBe(true);
    scope.stop();
  });
});

describe('the flame chart and the timeline', () => {
  it('share one time viewport: zooming into a box moves the timeline, the way back restores it', async () => {
    const { filters, timeline } = await loaded();
    const views = useViewsStore();
    const scope = effectScope();
    const actions = scope.run(() => useActions())!;
    timeline.setView({ start: 100_000, end: 500_000 });
    views.chartZoomIn({ start: 200_000, end: 300_000 });
    expect(timeline.view).toEqual({ start: 200_000, end: 300_000 });
    views.chartZoomIn({ start: 250_000, end: 260_000 });
    expect(views.chartZooms).toEqual([
      { start: 100_000, end: 500_000 },
      { start: 200_000, end: 300_000 },
      { start: 250_000, end: 260_000 },
    ]);
    // keyboard zoom acts on the same view the chart shows
    actions.run('zoom-out');
    expect(timeline.view).toEqual({ start: 245_000, end: 265_000 });
    // Backspace on the chart: one step back
    useUiStore().tab = 'flame-chart';
    actions.run('flame-zoom-out');
    expect(timeline.view).toEqual({ start: 200_000, end: 300_000 });
    views.chartZoomBack(0);
    expect(timeline.view).toEqual({ start: 100_000, end: 500_000 });
    expect(views.chartZooms).toEqual([]);
    expect(views.chartZoomOut()).toBe(false);
    // a new selection starts afresh
    views.chartZoomIn({ start: 200_000, end: 300_000 });
    filters.setSelection({ start: 0, end: 10 });
    await nextTick();
    expect(views.chartZooms).toEqual([]);
    scope.stop();
  });
});
