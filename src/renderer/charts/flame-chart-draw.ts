import type { FlameChartAnswer } from '../../shared/contract';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { BOX_ROW_HEIGHT, BoxPainter, MIN_BOX_WIDTH } from './box-painter';
import { chartRowTop } from './flame-chart-geometry';
import { xAtTime, type TimeRange } from './time-viewport';
import { drawTimeLine } from './timeline-draw';

export interface FlameChartDrawState {
  theme: ChartTheme;
  view: TimeRange;
  width: CssPixels;
  height: CssPixels;
  scrollTop: CssPixels;
  hovered: number;
  /** Functions matching the search; undefined when not searching. */
  matches: Set<number> | undefined;
  /** A time to mark with a vertical line (the sample picked in the list). */
  marker: number | undefined;
}

/**
 * Draws the boxes that intersect the viewport. The answer may be for another view than the
 * one shown (while a pan or zoom waits for the session): times map through `view`, so old
 * boxes move with the pointer until the new ones arrive. Returns the number of boxes drawn.
 */
export function drawFlameChart(
  ctx: CanvasRenderingContext2D,
  answer: FlameChartAnswer,
  state: FlameChartDrawState,
): number {
  const { theme, view, width, height, scrollTop } = state;
  const rowH = BOX_ROW_HEIGHT;
  const minDepth = Math.max(0, Math.floor(scrollTop / rowH));
  const maxDepth = Math.ceil((scrollTop + height) / rowH);
  const painter = new BoxPainter(ctx, theme);
  let drawn = 0;
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    if (depth < minDepth || depth > maxDepth) continue;
    const x0 = xAtTime(view, answer.boxStart[i]!, width);
    const x1 = xAtTime(view, answer.boxEnd[i]!, width);
    if (x1 <= 0 || x0 >= width || x1 - x0 < MIN_BOX_WIDTH) continue;
    // Boxes reaching past the edges are cut just outside them.
    const x = Math.max(-1, x0);
    const func = answer.func[i]!;
    const info = answer.funcs[func];
    painter.paint({
      x,
      y: chartRowTop(depth) - scrollTop,
      width: Math.min(width + 1, x1) - x,
      name: info?.name ?? '?',
      kind: info?.kind ?? 'user',
      labelX: Math.max(0, x),
      hovered: i === state.hovered,
      match: state.matches ? state.matches.has(func) : undefined,
    });
    drawn++;
  }
  if (state.marker !== undefined)
    drawTimeLine(ctx, view, state.marker, width, height, theme.marker, 2);
  return drawn;
}
