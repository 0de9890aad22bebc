import type { FlameChartAnswer } from '../../shared/contract';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { BOX_ROW_HEIGHT, BoxPainter, MIN_BOX_WIDTH, type Box } from './box-painter';
import { chartRowTop } from './flame-chart-geometry';
import type { PixelFills } from './pixel-fills';
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
  /** Where the box fills are written, when not with `fillRect` (charts/pixel-fills.ts). */
  fills?: PixelFills;
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
  const painter = new BoxPainter(ctx, theme, state.fills);
  // Boxes on whole pixels: fractional edges are anti-aliased when the canvas is committed, at a
  // cost that grows with the boxes (a thread of a million samples: about 100 ms a draw). A box
  // narrower than a pixel takes the pixel its start is in, unless a box of its row has it: the
  // boxes of a row never overlap, so the answer lists them left to right.
  const paintedTo = new Float64Array(Math.max(0, maxDepth - minDepth + 1)).fill(-Infinity);
  let drawn = 0;
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    if (depth < minDepth || depth > maxDepth) continue;
    const span = boxPixels(answer, i, view, width);
    if (!span || span[1] <= paintedTo[depth - minDepth]!) continue;
    paintedTo[depth - minDepth] = span[1];
    painter.paint(chartBox(answer, i, span, state));
    drawn++;
  }
  painter.finish();
  if (state.marker !== undefined)
    drawTimeLine(ctx, view, state.marker, width, height, theme.marker, 2);
  return drawn;
}

/** A box's whole-pixel columns [x0, x1) in the view, or undefined when it is not drawn. */
function boxPixels(
  answer: FlameChartAnswer,
  i: number,
  view: TimeRange,
  width: CssPixels,
): [number, number] | undefined {
  const t0 = xAtTime(view, answer.boxStart[i]!, width);
  const t1 = xAtTime(view, answer.boxEnd[i]!, width);
  if (t1 <= 0 || t0 >= width || t1 - t0 < MIN_BOX_WIDTH) return undefined;
  let x0 = Math.round(t0);
  let x1 = Math.round(t1);
  if (x1 <= x0) {
    x0 = Math.floor(t0);
    x1 = x0 + 1;
  }
  return [x0, x1];
}

function chartBox(
  answer: FlameChartAnswer,
  i: number,
  [x0, x1]: [number, number],
  state: FlameChartDrawState,
): Box {
  // Boxes reaching past the edges are cut just outside them.
  const x = Math.max(-1, x0);
  const func = answer.func[i]!;
  const info = answer.funcs[func];
  return {
    x,
    y: chartRowTop(answer.depth[i]!) - state.scrollTop,
    width: Math.min(state.width + 1, x1) - x,
    name: info?.name ?? '?',
    kind: info?.kind ?? 'user',
    labelX: Math.max(0, x),
    hovered: i === state.hovered,
    match: state.matches ? state.matches.has(func) : undefined,
  };
}

/**
 * The hovered box, outlined, over a picture of the chart drawn without it (a pointer moving
 * over the chart repaints one box, not all of them).
 */
export function drawHoveredBox(
  ctx: CanvasRenderingContext2D,
  answer: FlameChartAnswer,
  state: FlameChartDrawState,
): void {
  const i = state.hovered;
  if (i < 0 || i >= answer.depth.length) return;
  const span = boxPixels(answer, i, state.view, state.width);
  if (span) new BoxPainter(ctx, state.theme).paint(chartBox(answer, i, span, state));
}
