import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TopFunctionsAnswer } from '../../src/shared/contract';
import { useViewsStore } from '../../src/renderer/stores/views';
import { settle } from './fake-host';
import { mountTopFunctions } from './mount-top-functions';

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.restoreAllMocks());

const row = (func: number, name: string) => ({
  func,
  name,
  lib: 'app',
  kind: 'user' as const,
  self: 10,
  total: 10,
});
const ANSWER: TopFunctionsAnswer = {
  total: 30,
  rows: [row(0, 'hash_block'), row(1, 'sqrt_sum'), row(2, 'main')],
};

async function topFunctions() {
  const view = await mountTopFunctions(ANSWER, 600);
  const names = (): string[] => view.findAll('[data-testid="top-row"] .name').map((r) => r.text());
  return { view, names };
}

describe('each view searches on its own', () => {
  it('a flame-graph search ("Show in flame graph") leaves top functions unfiltered', async () => {
    const { names } = await topFunctions();
    const views = useViewsStore();
    expect(names()).toEqual(['hash_block', 'sqrt_sum', 'main']);
    views.flameSearch = '^sqrt_sum$';
    await settle(2);
    expect(names()).toEqual(['hash_block', 'sqrt_sum', 'main']);
    views.flameSearch = 'no_such_function';
    await settle(2);
    expect(names()).toEqual(['hash_block', 'sqrt_sum', 'main']);
    views.topSearch = 'hash';
    await settle(2);
    expect(names()).toEqual(['hash_block']);
    expect(views.flameSearch).toBe('no_such_function');
  });

  it('"Search for this function" searches the view it was asked in', () => {
    const views = useViewsStore();
    expect(views.searchIn('top-functions', '^main$')).toBe('top-functions');
    expect(views.searchIn('call-tree', '^lex$')).toBe('call-tree');
    expect(views.searchIn('flame-chart', '^parse$')).toBe('flame-chart');
    expect([views.topSearch, views.treeSearch, views.chartSearch, views.flameSearch]).toEqual([
      '^main$',
      '^lex$',
      '^parse$',
      '',
    ]);
    // views without a search of their own show it in the flame graph
    expect(views.searchIn('samples', '^hash$')).toBe('flame-graph');
    expect(views.flameSearch).toBe('^hash$');
    expect(views.topSearch).toBe('^main$');
  });
});
