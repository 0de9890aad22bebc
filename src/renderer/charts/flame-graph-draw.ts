import type { FlameGraphAnswer } from '../../shared/contract';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { BoxPainter, MIN_BOX_WIDTH } from './box-painter';
import { rowTop, visibleDepths } from './flame-graph-geometry';

export interface FlameGraphViewport {
  width: CssPixels;
  height: CssPixels;
  scrollTop: CssPixels;
  contentHeight: CssPixels;
}

export interface FlameGraphDrawState {
  theme: ChartTheme;
  /** Node under the pointer, or -1. */
  hovered: number;
  /** A search is active: matches stand out, everything else is dimmed. */
  searching: boolean;
  /** The node of the call tree's selected call node, or -1 (outlined in the accent colour). */
  selected?: number;
  /** A node's colour instead of its function's (the differential flame graph's change). */
  fill?: (node: number) => string;
}

/**
 * Draws the flame graph's visible rows. Only nodes whose row intersects the viewport are
 * touched; returns how many boxes were drawn (for tests and measurements).
 */
export function drawFlameGraph(
  ctx: CanvasRenderingContext2D,
  answer: FlameGraphAnswer,
  viewport: FlameGraphViewport,
  state: FlameGraphDrawState,
): number {
  const { width, height, scrollTop, contentHeight } = viewport;
  const { min, max } = visibleDepths(scrollTop, height, contentHeight);
  const painter = new BoxPainter(ctx, state.theme);
  let drawn = 0;
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    if (depth < min || depth > max) continue;
    const x = answer.x[i]! * width;
    const w = answer.w[i]! * width;
    if (w < MIN_BOX_WIDTH || x > width || x + w < 0) continue;
    const info = answer.funcs[answer.func[i]!];
    painter.paint({
      x,
      y: rowTop(depth, contentHeight) - scrollTop,
      width: w,
      name: info?.name ?? '?',
      kind: info?.kind ?? 'user',
      hovered: i === state.hovered,
      selected: i === state.selected,
      match: state.searching ? answer.match[i] === 1 : undefined,
      fill: state.fill?.(i),
    });
    drawn++;
  }
  return drawn;
}
