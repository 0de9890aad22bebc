import type { FlameChartAnswer } from '../../shared/contract';
import { BoxPainter, type Box } from './box-painter';
import { pixelRatio } from './canvas';
import { drawFlameChart, drawHoveredBox, type FlameChartDrawState } from './flame-chart-draw';
import { PaintedLayers } from './painted-layers';
import { canvasPixelOf, PixelFills, type PixelRows } from './pixel-fills';
import { drawTimeLine } from './timeline-draw';

/** Pictures of the flame chart kept: the one on screen and a few the tabs and zooms left. */
const PICTURES_KEPT = 4;
/** A painted chart: its box fills, and the boxes drawn over them. */
interface FlameChartPicture {
  fills: PixelRows;
  over: Box[];
}
const pictures = new PaintedLayers<FlameChartAnswer, FlameChartPicture>(PICTURES_KEPT);
const fills = new PixelFills(canvasPixelOf);

/**
 * Draws the flame chart on a prepared canvas: its boxes put back from the picture of the same
 * answer drawn the same way when there is one (a tab opened again, a pointer moving over the
 * chart), else painted (fills written as pixels) and kept as a picture; then the hovered box
 * and the marker over them.
 */
export function drawFlameChartPicture(
  ctx: CanvasRenderingContext2D,
  answer: FlameChartAnswer,
  state: Omit<FlameChartDrawState, 'fills' | 'over'>,
): void {
  const { theme, view, width, height, scrollTop, matches } = state;
  const ratio = pixelRatio();
  const key = JSON.stringify([
    view.start,
    view.end,
    width,
    height,
    ratio,
    scrollTop,
    theme,
    matches ? [...matches].sort((a, b) => a - b) : null,
  ]);
  const kept = pictures.find(answer, key);
  if (kept) {
    fills.putRows(ctx, kept.fills);
    const painter = new BoxPainter(ctx, theme);
    for (const box of kept.over) painter.paintOver(box);
  } else {
    fills.begin(ctx.canvas.width, ctx.canvas.height, ratio);
    const over: Box[] = [];
    drawFlameChart(ctx, answer, { ...state, hovered: -1, marker: undefined, fills, over });
    pictures.keep(answer, key, { fills: fills.take(), over });
  }
  drawHoveredBox(ctx, answer, state);
  if (state.marker !== undefined)
    drawTimeLine(ctx, view, state.marker, width, height, theme.marker, 2);
}
