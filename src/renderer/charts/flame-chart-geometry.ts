import type { FlameChartAnswer } from '../../shared/contract';
import type { Nanoseconds } from '../../shared/model';
import type { SearchPattern } from '../../shared/policy/search-pattern';
import type { CssPixels } from './canvas';

/**
 * Geometry of the flame chart (stacks over time, one thread): root at the top, one row per
 * depth, x by time in the view. Boxes come from the session as [start, end) times per depth.
 */
export const FLAME_CHART_ROW_HEIGHT: CssPixels = 18;

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

export function indexFlameChart(answer: FlameChartAnswer): FlameChartIndex {
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
  const row = index.byDepth[depth];
  if (!row) return -1;
  let lo = 0;
  let hi = row.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const box = row[mid]!;
    if (time < answer.boxStart[box]!) hi = mid - 1;
    else if (time >= answer.boxEnd[box]!) lo = mid + 1;
    else return box;
  }
  return -1;
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
