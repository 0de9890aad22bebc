import { describe, expect, it } from 'vitest';
import { columnMaxima, fillColumns } from '../../src/renderer/charts/pixel-columns';
import { RecordingContext } from './fake-canvas';

describe('bar graphs in whole pixel columns', () => {
  it('one column per bin when the bins are the view', () => {
    const cols = columnMaxima(0, 4, [0, 2, 1, 3], { start: 0, end: 4 }, 4);
    expect([...cols]).toEqual([0, 2, 1, 3]);
  });

  it('a column under several bins (an older, wider view squeezed) keeps the tallest', () => {
    // 8 bins over [0, 8) shown on 4 pixels of view [0, 8): two bins a column
    const cols = columnMaxima(0, 8, [1, 5, 0, 0, 2, 1, 0, 7], { start: 0, end: 8 }, 4);
    expect([...cols]).toEqual([5, 0, 2, 7]);
  });

  it('a bin stretched over several columns (zoomed in) fills them; off-screen bins are dropped', () => {
    const cols = columnMaxima(0, 4, [1, 2, 3, 4], { start: 1, end: 3 }, 8);
    expect([...cols]).toEqual([2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it('a reused buffer gives the same columns, cleared of the previous call', () => {
    const reuse = { columns: new Float64Array(0) };
    columnMaxima(0, 4, [9, 9, 9, 9], { start: 0, end: 4 }, 8, reuse);
    const again = columnMaxima(0, 4, [0, 2, 0, 3], { start: 0, end: 4 }, 4, reuse);
    expect([...again]).toEqual([0, 2, 0, 3]);
    expect(reuse.columns.length).toBe(8);
  });

  it('never draws at fractional pixels: bins 1.37 px wide become whole-pixel runs', () => {
    const ctx = new RecordingContext();
    const bins = Float64Array.from({ length: 73 }, (_, i) => (i % 3) + 1);
    const columns = columnMaxima(0, 73, bins, { start: 0, end: 73 }, 100);
    fillColumns(ctx.asContext(), columns, 1 / 3, 20, 22);
    const rects = ctx.only('fillRect').map((c) => c.split(' ').slice(1, 5).map(Number));
    expect(rects.length).toBeGreaterThan(20);
    for (const r of rects) for (const v of r) expect(Number.isInteger(v)).toBe(true);
    // the runs tile the graph without overlap
    expect(rects.map((r) => r[0])).toEqual([...rects.map((r) => r[0])].sort((a, b) => a! - b!));
    expect(rects.reduce((sum, r) => sum + r[2]!, 0)).toBe(100);
    expect(ctx.only('rect')).toEqual([]);
  });

  it('runs of equal height are one rectangle, hanging from the top when asked', () => {
    const ctx = new RecordingContext();
    fillColumns(ctx.asContext(), Float64Array.from([0, 1, 1, 0.5, 0]), 1, 10, undefined);
    expect(ctx.only('fillRect')).toEqual(['fillRect 1 0 2 10 ', 'fillRect 3 0 1 5 ']);
  });
});
