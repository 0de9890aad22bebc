import { describe, expect, it } from 'vitest';
import type { FlameChartAnswer } from '../../src/shared/contract';
import { drawFlameChart } from '../../src/renderer/charts/flame-chart-draw';
import {
  chartDepthAt,
  hitBox,
  indexFlameChart,
  matchingFuncs,
} from '../../src/renderer/charts/flame-chart-geometry';
import { TEST_THEME } from './chart-theme';
import { RecordingContext } from './fake-canvas';

/** main over [0, 100); a then b under it; b's box closes first in the answer's order. */
const chart: FlameChartAnswer = {
  start: 0,
  end: 100,
  depth: Uint16Array.from([1, 1, 0]),
  boxStart: Float64Array.from([50, 0, 0]),
  boxEnd: Float64Array.from([100, 50, 100]),
  func: Int32Array.from([2, 1, 0]),
  funcs: {
    0: { name: 'main', lib: 'app', kind: 'user' },
    1: { name: 'alpha', lib: 'app', kind: 'user' },
    2: { name: 'sys_read', lib: '[kernel.kallsyms]', kind: 'kernel' },
  },
  maxDepth: 1,
};

/** A 100 px tall chart, scrolled to the top, nothing hovered or searched. */
const drawState = (view: { start: number; end: number }, width: number, marker?: number) => ({
  theme: TEST_THEME,
  view,
  width,
  height: 100,
  scrollTop: 0,
  hovered: -1,
  matches: undefined,
  marker,
});

describe('flame chart', () => {
  it('finds the box under a time at a depth', () => {
    const index = indexFlameChart(chart);
    expect(Array.from(index.byDepth[1]!)).toEqual([1, 0]);
    expect(hitBox(chart, index, 1, 49.9)).toBe(1);
    expect(hitBox(chart, index, 1, 50)).toBe(0);
    expect(hitBox(chart, index, 0, 100)).toBe(-1);
    expect(chartDepthAt(20)).toBe(1);
  });

  it('matches search patterns against the functions the answer names', () => {
    expect([...matchingFuncs(chart.funcs, /^s/)]).toEqual([2]);
    expect(matchingFuncs(chart.funcs, undefined).size).toBe(0);
  });

  it('draws an older answer through the current view (a pan shows at once)', () => {
    const ctx = new RecordingContext();
    const drawn = drawFlameChart(
      ctx.asContext(),
      chart,
      drawState({ start: 50, end: 150 }, 200, 75),
    );
    // alpha ends where the view starts: not drawn. main is cut at the left edge.
    expect(drawn).toBe(2);
    const boxes = ctx.only('fillRect');
    expect(boxes[0]).toMatch(/^fillRect 0 18 99 17 /); // sys_read: 50..100 → 0..100 px
    expect(boxes[1]).toMatch(/^fillRect -1 0 100 17 /); // main, clipped just outside
    expect(boxes.at(-1)).toBe('fillRect 49 0 2 100 marker');
    // The label of a box cut by the left edge starts at the edge.
    expect(ctx.only('text')).toContain('text 4 "main"');
  });

  it("draws boxes on whole pixels, and a row's slivers once per pixel", () => {
    // 250 boxes of 0.4 px each in one row (100 px), then one 2.6 px wide
    const n = 250;
    const many: FlameChartAnswer = {
      start: 0,
      end: 1000,
      depth: new Uint16Array(n + 1),
      boxStart: Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? i * 0.4 : 100.2)),
      boxEnd: Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? (i + 1) * 0.4 : 102.8)),
      func: new Int32Array(n + 1),
      funcs: { 0: { name: 'main', lib: 'app', kind: 'user' } },
      maxDepth: 0,
    };
    const ctx = new RecordingContext();
    const drawn = drawFlameChart(ctx.asContext(), many, drawState({ start: 0, end: 1000 }, 1000));
    const rects = ctx.only('fillRect').map((c) => c.split(' ').slice(1, 4).map(Number));
    expect(rects).toHaveLength(drawn);
    // each of the 100 pixels once, then the wide box
    expect(rects.map((r) => r[0])).toEqual([...Array(100).keys(), 100]);
    for (const r of rects) for (const v of r) expect(Number.isInteger(v)).toBe(true);
    expect(rects.at(-1)).toEqual([100, 0, 2]);
  });
});
