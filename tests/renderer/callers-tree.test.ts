import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallersAnswer, CallersQuery } from '../../src/shared/contract';
import CallersTree from '../../src/renderer/components/CallersTree.vue';
import { useFiltersStore } from '../../src/renderer/stores/filters';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import { FakeHost, recordingSummary, settle } from './fake-host';

beforeEach(() => {
  setActivePinia(createPinia());
  // happy-dom lays nothing out: the tree's scroller is 400 px tall, 20 rows
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
});
afterEach(() => vi.restoreAllMocks());

/** A hot function's callers: as many as the benchmark recording's hottest (1,828). */
function callersOf(func: number): CallersAnswer {
  const nodes = Array.from({ length: 2000 }, (_, i) => ({
    depth: i === 0 ? 0 : 1 + (i % 5),
    func: i === 0 ? func : 1000 + i,
    name: i === 0 ? `f${func}` : `caller${i}`,
    lib: 'app',
    total: 2000 - i,
  }));
  return { total: 2000, nodes };
}

describe('the callers tree', () => {
  it('puts only the rows on screen in the DOM, the function first', async () => {
    const host = new FakeHost({ callers: async (q: CallersQuery) => callersOf(q.func) });
    const recording = useRecordingStore();
    useFiltersStore();
    await recording.attach(host);
    host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
    await settle();
    const tree = mount(CallersTree, { props: { func: 7, unit: 'samples' } });
    await settle();
    expect(tree.get('[data-testid="callers"]').attributes('data-func')).toBe('7');
    const rows = tree.findAll('.node');
    expect(rows.length).toBeGreaterThan(0);
    // without the virtual list every one of the 2,000 callers was a row
    expect(rows.length).toBeLessThan(100);
    expect(rows[0]!.get('.root').text()).toBe('f7');
    await tree.setProps({ func: 8 });
    await settle();
    expect(tree.get('.node .root').text()).toBe('f8');
  });
});
