import type { FlameGraphAnswer } from '../../shared/contract';
import { BOX_ROW_HEIGHT, boxInRow } from './box-painter';
import type { CssPixels } from './canvas';

/**
 * Geometry of the aggregated flame graph: root at the bottom (as flamegraph.pl draws it), one
 * row per depth, x as fractions of the focused node's weight. The answer lists nodes depth first
 * (a node's subtree follows it), which the helpers here rely on.
 */
export const FLAME_GRAPH_ROW_HEIGHT: CssPixels = BOX_ROW_HEIGHT;

/** Content height: every row, and at least the viewport (the root then sits at its bottom). */
export function flameGraphContentHeight(
  maxDepth: number,
  viewportHeight: CssPixels,
  rowHeight = FLAME_GRAPH_ROW_HEIGHT,
): CssPixels {
  return Math.max(viewportHeight, (maxDepth + 1) * rowHeight + rowHeight);
}

/** Top of a depth's row in content coordinates. */
export function rowTop(
  depth: number,
  contentHeight: CssPixels,
  rowHeight = FLAME_GRAPH_ROW_HEIGHT,
) {
  return contentHeight - (depth + 1) * rowHeight;
}

/**
 * The depth whose row [rowTop, rowTop + rowHeight) holds a content y coordinate (may be negative
 * or beyond maxDepth: no row).
 */
export function depthAt(
  y: CssPixels,
  contentHeight: CssPixels,
  rowHeight = FLAME_GRAPH_ROW_HEIGHT,
) {
  return Math.ceil((contentHeight - y) / rowHeight) - 1;
}

/** Depths whose rows intersect the visible part [scrollTop, scrollTop + height). */
export function visibleDepths(
  scrollTop: CssPixels,
  height: CssPixels,
  contentHeight: CssPixels,
  rowHeight = FLAME_GRAPH_ROW_HEIGHT,
): { min: number; max: number } {
  return {
    min: Math.max(0, depthAt(scrollTop + height, contentHeight, rowHeight)),
    max: depthAt(scrollTop, contentHeight, rowHeight),
  };
}

/** Node indexes per depth, in x order, for hit testing. */
export interface FlameGraphIndex {
  byDepth: Int32Array[];
}

export function indexFlameGraph(answer: FlameGraphAnswer): FlameGraphIndex {
  const counts = new Int32Array(answer.maxDepth + 1);
  for (let i = 0; i < answer.depth.length; i++) counts[answer.depth[i]!]!++;
  const byDepth = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < answer.depth.length; i++) {
    const d = answer.depth[i]!;
    byDepth[d]![fill[d]!++] = i;
  }
  // Depth-first order visits each depth left to right already.
  return { byDepth };
}

/** The node at a depth covering the view fraction `fx`, or -1. */
export function hitNode(
  answer: FlameGraphAnswer,
  index: FlameGraphIndex,
  depth: number,
  fx: number,
): number {
  return boxInRow(
    index.byDepth[depth],
    fx,
    (node) => answer.x[node]!,
    (node) => answer.x[node]! + answer.w[node]!,
  );
}

/** One past the last node of `node`'s subtree. */
export function subtreeEnd(answer: FlameGraphAnswer, node: number): number {
  const depth = answer.depth[node]!;
  let end = node + 1;
  while (end < answer.depth.length && answer.depth[end]! > depth) end++;
  return end;
}

/** The function path from the whole tree's root to `node` (what `FlameGraphQuery.focus` takes). */
export function focusPathTo(answer: FlameGraphAnswer, node: number): number[] {
  const chain: number[] = [];
  let depth = answer.depth[node]!;
  chain.push(answer.func[node]!);
  for (let i = node - 1; i >= 0 && depth > 0; i--) {
    if (answer.depth[i]! === depth - 1) {
      chain.push(answer.func[i]!);
      depth--;
    }
  }
  chain.reverse();
  // When zoomed, depth 0 is the focused node itself, the last element of `focus`.
  return answer.focus.length ? [...answer.focus.slice(0, -1), ...chain] : chain;
}

/**
 * The zoomed view drawn from what is already on screen (the node's subtree, rescaled), shown at
 * once while the session computes the exact layout, so a click answers within a frame.
 */
export function previewZoom(answer: FlameGraphAnswer, node: number): FlameGraphAnswer {
  const end = subtreeEnd(answer, node);
  const n = end - node;
  const base = answer.depth[node]!;
  const x0 = answer.x[node]!;
  const w0 = answer.w[node]! || 1;
  const depth = new Uint16Array(n);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  let maxDepth = 0;
  for (let k = 0; k < n; k++) {
    const i = node + k;
    depth[k] = answer.depth[i]! - base;
    x[k] = (answer.x[i]! - x0) / w0;
    w[k] = answer.w[i]! / w0;
    if (depth[k]! > maxDepth) maxDepth = depth[k]!;
  }
  return {
    total: answer.nodeTotal[node]!,
    rootTotal: answer.rootTotal,
    depth,
    x,
    w,
    func: answer.func.slice(node, end),
    self: answer.self.slice(node, end),
    nodeTotal: answer.nodeTotal.slice(node, end),
    match: answer.match.slice(node, end),
    funcs: answer.funcs,
    focus: focusPathTo(answer, node),
    matchTotal: answer.matchTotal,
    maxDepth,
  };
}
