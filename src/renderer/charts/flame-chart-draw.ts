import type { FlameChartAnswer } from '../../shared/contract';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { BOX_ROW_HEIGHT, BoxPainter, MIN_BOX_WIDTH, type Box } from './box-painter';
import { chartRowTop } from './flame-chart-geometry';
import { frameFill, isSyntheticKind, type FrameKind } from './frame-colors';
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
  /** With `fills`: gets the boxes drawn over their fills (labels, outlines, hatching). */
  over?: Box[];
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
  const paintOf = funcPaints(answer, theme);
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
    if (!isDrawn(t0, t1, width)) continue;
    const x1 = boxEnd(t0, t1);
    if (x1 <= paintedTo[depth - minDepth]!) continue;
    paintedTo[depth - minDepth] = x1;
    drawn++;
    const x0 = boxStart(t0, t1);
    const func = answer.func[i]!;
    const look = paintOf(func);
    if (i !== state.hovered && !isSyntheticKind(look.kind)) {
      const x = Math.max(-1, x0);
      const match = state.matches ? state.matches.has(func) : undefined;
      const y = chartRowTop(depth) - scrollTop;
      if (painter.fillSliver(x, y, Math.min(width + 1, x1) - x, look.fill, match)) continue;
    }
    painter.paint(chartBox(answer, i, x0, x1, state, paintOf));
  }
  const over = painter.finish();
  if (state.over) state.over.push(...over);
  if (state.marker !== undefined)
    drawTimeLine(ctx, view, state.marker, width, height, theme.marker, 2);
  return drawn;
}

/** Whether a box from x `t0` to `t1` is drawn (wide enough, on screen). */
function isDrawn(t0: number, t1: number, width: CssPixels): boolean {
  return t1 > 0 && t0 < width && t1 - t0 >= MIN_BOX_WIDTH;
}

/** The first whole-pixel column of a box from x `t0` to `t1`. */
function boxStart(t0: number, t1: number): number {
  const x0 = Math.round(t0);
  return Math.round(t1) > x0 ? x0 : Math.floor(t0);
}

/** The column after the last of a box: one past its start at least. */
function boxEnd(t0: number, t1: number): number {
  const x1 = Math.round(t1);
  return x1 > Math.round(t0) ? x1 : Math.floor(t0) + 1;
}

function chartBox(
  answer: FlameChartAnswer,
  i: number,
  x0: number,
  x1: number,
  state: FlameChartDrawState,
  paintOf: (func: number) => FuncPaint,
): Box {
  // Boxes reaching past the edges are cut just outside them.
  const x = Math.max(-1, x0);
  const func = answer.func[i]!;
  const { name, kind, fill } = paintOf(func);
  return {
    x,
    y: chartRowTop(answer.depth[i]!) - state.scrollTop,
    width: Math.min(state.width + 1, x1) - x,
    name,
    kind,
    fill,
    labelX: Math.max(0, x),
    hovered: i === state.hovered,
    match: state.matches ? state.matches.has(func) : undefined,
  };
}

interface FuncPaint {
  name: string;
  kind: FrameKind;
  fill: string;
}

/**
 * What a function's boxes are painted with, looked up once per draw: a chart has a few hundred
 * functions and tens of thousands of boxes.
 */
function funcPaints(answer: FlameChartAnswer, theme: ChartTheme): (func: number) => FuncPaint {
  const paints = new Map<number, FuncPaint>();
  return (func) => {
    let paint = paints.get(func);
    if (!paint) {
      const info = answer.funcs[func];
      const name = info?.name ?? '?';
      const kind = info?.kind ?? 'user';
      paint = { name, kind, fill: frameFill(name, kind, theme.dark) };
      paints.set(func, paint);
    }
    return paint;
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
  const t0 = xAtTime(state.view, answer.boxStart[i]!, state.width);
  const t1 = xAtTime(state.view, answer.boxEnd[i]!, state.width);
  if (!isDrawn(t0, t1, state.width)) return;
  const paintOf = funcPaints(answer, state.theme);
  const box = chartBox(answer, i, boxStart(t0, t1), boxEnd(t0, t1), state, paintOf);
  new BoxPainter(ctx, state.theme).paint(box);
}
