import type { FlameChartAnswer } from '../../shared/contract';
import type { Nanoseconds } from '../../shared/model';
import type { SearchPattern } from '../../shared/policy/search-pattern';
import type { TimeRange } from './time-viewport';
import { BOX_ROW_HEIGHT, boxInRow } from './box-painter';
import type { CssPixels } from './canvas';

/**
 * Geometry of the flame chart (stacks over time, one thread): root at the top, one row per
 * depth, x by time in the view. Boxes come from the session as [start, end) times per depth.
 */
export const FLAME_CHART_ROW_HEIGHT: CssPixels = BOX_ROW_HEIGHT;

export function chartRowTop(depth: number, rowHeight = FLAME_CHART_ROW_HEIGHT): CssPixels {
  return depth * rowHeight;
}

export function chartDepthAt(y: CssPixels, rowHeight = FLAME_CHART_ROW_HEIGHT): number {
  return Math.floor(y / rowHeight);
}

export function flameChartContentHeight(
  maxDepth: number,
  rowHeight = FLAME_CHART_ROW_HEIGHT,
): CssPixels {
  return (maxDepth + 1) * rowHeight + rowHeight;
}

/** Box indexes per depth sorted by start time (boxes of one depth never overlap). */
export interface FlameChartIndex {
  byDepth: Int32Array[];
}

/**
 * An answer's index, made once per answer: answers are kept in the answer cache and shown
 * again, and indexing the benchmark recording's 57,000 boxes took about 13 ms of each tab open.
 */
export function indexFlameChart(answer: FlameChartAnswer): FlameChartIndex {
  let index = indexes.get(answer);
  if (!index) indexes.set(answer, (index = buildIndex(answer)));
  return index;
}
const indexes = new WeakMap<FlameChartAnswer, FlameChartIndex>();

function buildIndex(answer: FlameChartAnswer): FlameChartIndex {
  const lists: number[][] = [];
  for (let i = 0; i < answer.depth.length; i++) {
    const d = answer.depth[i]!;
    (lists[d] ??= []).push(i);
  }
  const byDepth = Array.from({ length: answer.maxDepth + 1 }, (_, d) => {
    const list = lists[d] ?? [];
    list.sort((a, b) => answer.boxStart[a]! - answer.boxStart[b]!);
    return Int32Array.from(list);
  });
  return { byDepth };
}

/** The box at a depth covering `time`, or -1. */
export function hitBox(
  answer: FlameChartAnswer,
  index: FlameChartIndex,
  depth: number,
  time: Nanoseconds,
): number {
  return boxInRow(
    index.byDepth[depth],
    time,
    (box) => answer.boxStart[box]!,
    (box) => answer.boxEnd[box]!,
  );
}

/** Which functions' names match a search pattern (the chart's answer has few functions). */
export function matchingFuncs(
  funcs: FlameChartAnswer['funcs'],
  pattern: SearchPattern | undefined,
): Set<number> {
  const out = new Set<number>();
  if (!pattern) return out;
  for (const [func, info] of Object.entries(funcs)) if (pattern.test(info.name)) out.add(+func);
  return out;
}

/** Room either side of a box zoomed into, as a fraction of its length. */
export const BOX_ZOOM_PADDING = 0.02;

/** The view a click on a box zooms to: the box with a little room either side. */
export function boxZoomRange(answer: FlameChartAnswer, box: number): TimeRange {
  const start = answer.boxStart[box]!;
  const end = answer.boxEnd[box]!;
  const pad = (end - start) * BOX_ZOOM_PADDING;
  return { start: start - pad, end: end + pad };
}
