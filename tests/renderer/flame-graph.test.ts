import { describe, expect, it } from 'vitest';
import type { FlameGraphAnswer } from '../../src/shared/contract';
import { drawFlameGraph } from '../../src/renderer/charts/flame-graph-draw';
import {
  FLAME_GRAPH_ROW_HEIGHT as ROW,
  depthAt,
  flameGraphContentHeight,
  focusPathTo,
  hitNode,
  indexFlameGraph,
  previewZoom,
  rowTop,
  subtreeEnd,
  visibleDepths,
} from '../../src/renderer/charts/flame-graph-geometry';
import { flameGraphNodeAt, paintFlameGraph } from '../../src/renderer/charts/flame-graph-surface';
import { fitLabel } from '../../src/renderer/charts/label-fit';
import { TEST_THEME } from './chart-theme';
import { RecordingContext } from './fake-canvas';

/**
 *   main (10)            depth 0
 *   ├─ work (6, self 3)  depth 1
 *   │  └─ spin (3)       depth 2
 *   └─ [user stack unavailable] (4)   depth 1, unmerged
 */
function answer(focus: number[] = [], match: number[] = [0, 0, 0, 0]): FlameGraphAnswer {
  return {
    total: 10,
    rootTotal: 10,
    depth: Uint16Array.from([0, 1, 2, 1]),
    x: Float64Array.from([0, 0, 0, 0.6]),
    w: Float64Array.from([1, 0.6, 0.3, 0.4]),
    func: Int32Array.from([0, 1, 3, 2]),
    self: Float64Array.from([0, 3, 3, 4]),
    nodeTotal: Float64Array.from([10, 6, 3, 4]),
    match: Uint8Array.from(match),
    funcs: {
      0: { name: 'main', lib: 'app', kind: 'user' },
      1: { name: 'work', lib: 'app', kind: 'user' },
      2: {
        name: '[user stack unavailable: cookie mismatch]',
        lib: '[perf workstation]',
        kind: 'unmerged',
      },
      3: { name: 'spin', lib: '[kernel.kallsyms]', kind: 'kernel' },
      9: { name: 'start', lib: 'app', kind: 'user' },
    },
    focus,
    matchTotal: 0,
    maxDepth: 2,
  };
}

describe('flame graph geometry (root at the bottom)', () => {
  it('puts depth 0 on the bottom row and finds the depth under a y', () => {
    const content = flameGraphContentHeight(2, 400);
    expect(content).toBe(400);
    expect(rowTop(0, content)).toBe(400 - ROW);
    expect(depthAt(399, content)).toBe(0);
    expect(depthAt(400 - ROW - 1, content)).toBe(1);
    expect(flameGraphContentHeight(99, 400)).toBe(101 * ROW);
  });

  it('lists the depths a scrolled viewport shows', () => {
    const content = 1000;
    expect(visibleDepths(1000 - 2 * ROW, 2 * ROW, content)).toEqual({ min: 0, max: 1 });
    expect(visibleDepths(1000 - 2 * ROW - 1, 2 * ROW, content)).toEqual({ min: 0, max: 2 });
    expect(visibleDepths(0, 100, content).min).toBeGreaterThan(40);
  });

  it('hit-tests by depth and x fraction', () => {
    const a = answer();
    const index = indexFlameGraph(a);
    expect(Array.from(index.byDepth[1]!)).toEqual([1, 3]);
    expect(hitNode(a, index, 1, 0.59)).toBe(1);
    expect(hitNode(a, index, 1, 0.6)).toBe(3);
    expect(hitNode(a, index, 2, 0.5)).toBe(-1);
    expect(hitNode(a, index, 7, 0.5)).toBe(-1);
  });

  it('gives the function path of a node, below the current focus when zoomed', () => {
    const a = answer();
    expect(subtreeEnd(a, 1)).toBe(3);
    expect(focusPathTo(a, 2)).toEqual([0, 1, 3]);
    expect(focusPathTo(a, 3)).toEqual([0, 2]);
    // Zoomed into main (reached through start): depth 0 is main itself.
    expect(focusPathTo(answer([9, 0]), 2)).toEqual([9, 0, 1, 3]);
  });

  it('previews a zoom from the nodes on screen, rescaled to the clicked node', () => {
    const preview = previewZoom(answer(), 1);
    expect(Array.from(preview.depth)).toEqual([0, 1]);
    expect(Array.from(preview.x)).toEqual([0, 0]);
    expect(Array.from(preview.w)).toEqual([1, 0.5]);
    expect(Array.from(preview.func)).toEqual([1, 3]);
    expect(preview.total).toBe(6);
    expect(preview.focus).toEqual([0, 1]);
    expect(preview.maxDepth).toBe(1);
  });
});

describe('flame graph drawing', () => {
  const viewport = (height: number) => ({
    width: 1000,
    height,
    scrollTop: 1000 - height,
    contentHeight: 1000,
  });

  it('draws only the rows in view, coloured by kind, with labels that fit', () => {
    const ctx = new RecordingContext();
    const drawn = drawFlameGraph(ctx.asContext(), answer(), viewport(2 * ROW), {
      theme: TEST_THEME,
      hovered: -1,
      searching: false,
    });
    expect(drawn).toBe(3); // spin, at depth 2, is above the viewport
    const boxes = ctx.only('fillRect');
    expect(boxes[0]).toMatch(/^fillRect 0 18 999 17 hsl\(/); // main: bottom row, 1 px gap
    expect(boxes.some((b) => b.includes('hsl(0 60% 80%)'))).toBe(true); // unmerged, light
    expect(ctx.only('text')).toEqual([
      'text 4 "main"',
      'text 4 "work"',
      'text 604 "[user stack unavailable: cookie mismatch]"',
    ]);
  });

  it('dims everything but the matches while searching, and outlines the hovered box', () => {
    const ctx = new RecordingContext();
    drawFlameGraph(ctx.asContext(), answer([], [0, 1, 0, 0]), viewport(400), {
      theme: TEST_THEME,
      hovered: 2,
      searching: true,
    });
    const fills = ctx.only('fillRect').map((c) => c.split(' ').at(-1));
    expect(fills).toEqual(['dimmed', 'match', 'dimmed', 'dimmed']);
    expect(ctx.only('strokeRect')).toHaveLength(1);
  });

  it('truncates labels to whole characters with an ellipsis, or drops them', () => {
    expect(fitLabel('spin_ms', 100, 7)).toBe('spin_ms');
    expect(fitLabel('exec_child_work', 60, 7)).toBe('exec_c…');
    expect(fitLabel('exec_child_work', 20, 7)).toBe('');
  });
});

describe('flame graph surface (a canvas over a scrolled content)', () => {
  /** A scroller at client (100, 50), 1000 × 2 rows, scrolled to the bottom of 400 px content. */
  function surface(ctx: RecordingContext | undefined) {
    const scroller = document.createElement('div');
    scroller.getBoundingClientRect = () => new DOMRect(100, 50, 1000, 2 * ROW);
    // happy-dom keeps scrollTop only on elements that can scroll
    Object.defineProperty(scroller, 'scrollTop', { value: 400 - 2 * ROW });
    const canvas = {
      width: 0,
      height: 0,
      getContext: () => ctx?.asContext() ?? null,
    } as unknown as HTMLCanvasElement;
    return { scroller, canvas, width: 1000, height: 2 * ROW, contentHeight: 400 };
  }

  it('hit-tests a pointer in client coordinates, through the scroll position', () => {
    const a = answer();
    const index = indexFlameGraph(a);
    const on = surface(undefined);
    const bottomRow = 50 + 2 * ROW - 1;
    expect(flameGraphNodeAt(on, a, index, { clientX: 100, clientY: bottomRow })).toBe(0);
    expect(flameGraphNodeAt(on, a, index, { clientX: 100 + 599, clientY: bottomRow - ROW })).toBe(
      1,
    );
    expect(flameGraphNodeAt(on, a, index, { clientX: 100 + 600, clientY: bottomRow - ROW })).toBe(
      3,
    );
    expect(flameGraphNodeAt(on, a, index, { clientX: 100 + 600, clientY: 50 - 1 })).toBe(-1);
  });

  it('paints the rows in view, or nothing without a width or a context', () => {
    const ctx = new RecordingContext();
    const on = surface(ctx);
    const state = { theme: TEST_THEME, hovered: -1, searching: false };
    expect(paintFlameGraph(on, answer(), state)).toBe(3);
    expect(ctx.only('text')).toContain('text 4 "work"');
    expect(paintFlameGraph({ ...on, width: 0 }, answer(), state)).toBe(-1);
    expect(paintFlameGraph(surface(undefined), answer(), state)).toBe(-1);
  });
});
