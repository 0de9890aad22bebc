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
  // Boxes on whole pixels: fractional edges are anti-aliased when the canvas is committed, at a
  // cost that grows with the boxes (a thread of a million samples: about 100 ms a draw). A box
  // narrower than a pixel takes the pixel its start is in, unless a box of its row has it: the
  // boxes of a row never overlap, so the answer lists them left to right.
  const paintedTo = new Float64Array(Math.max(0, maxDepth - minDepth + 1)).fill(-Infinity);
  let drawn = 0;
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    if (depth < minDepth || depth > maxDepth) continue;
    const t0 = xAtTime(view, answer.boxStart[i]!, width);
    const t1 = xAtTime(view, answer.boxEnd[i]!, width);
    if (t1 <= 0 || t0 >= width || t1 - t0 < MIN_BOX_WIDTH) continue;
    let x0 = Math.round(t0);
    let x1 = Math.round(t1);
    if (x1 <= x0) {
      x0 = Math.floor(t0);
      x1 = x0 + 1;
    }
    if (x1 <= paintedTo[depth - minDepth]!) continue;
    paintedTo[depth - minDepth] = x1;
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
