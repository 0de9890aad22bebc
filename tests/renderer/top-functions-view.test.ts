import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TopFunctionsAnswer } from '../../src/shared/contract';
import { mountTopFunctions } from './mount-top-functions';

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.restoreAllMocks());

/** 500 functions, as many as the view asks for. */
const ANSWER: TopFunctionsAnswer = {
  total: 500 * 501,
  rows: Array.from({ length: 500 }, (_, i) => ({
    func: i,
    name: `f${i}`,
    lib: 'app',
    kind: 'user' as const,
    self: 500 - i,
    total: 500 - i,
  })),
};

describe('top functions', () => {
  it('puts the rows its scroller shows in the DOM, not all 500, and keeps the height of all', async () => {
    // a scroller 240 px tall: 10 rows of 24 px
    const view = await mountTopFunctions(ANSWER, 240);
    const rows = view.findAll('[data-testid="top-row"]');
    expect(rows.map((r) => r.find('.name').text()).slice(0, 3)).toEqual(['f0', 'f1', 'f2']);
    // the rows on screen and a few beyond (overscan), not the whole table
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThan(40);
    expect(view.get('[data-testid="top-scroller"]').attributes('data-rows')).toBe('500');
    // the rows left out are a spacer of their height below
    const spacer = view.findAll('tbody tr[aria-hidden="true"]');
    expect(spacer).toHaveLength(1);
    expect(spacer[0]!.attributes('style')).toContain(`height: ${(500 - rows.length) * 24}px`);
  });
});
