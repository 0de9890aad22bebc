import type { FlameChartAnswer } from '../../shared/contract';
import { drawFlameChart, drawHoveredBox, type FlameChartDrawState } from './flame-chart-draw';
import { PaintedLayers } from './painted-layers';
import { canvasPixelOf, PixelFills } from './pixel-fills';
import { drawTimeLine } from './timeline-draw';

/** Pictures of the flame chart kept: the one on screen and a few the tabs and zooms left. */
const PICTURES_KEPT = 4;
const pictures = new PaintedLayers<FlameChartAnswer>(PICTURES_KEPT);
const fills = new PixelFills(canvasPixelOf);

/**
 * Draws the flame chart on a prepared (cleared) canvas: its boxes copied from the picture of
 * the same answer drawn the same way when there is one (a tab opened again, a pointer moving
 * over the chart), else painted into a new picture (fills written as pixels); then the
 * hovered box and the marker over them.
 */
export function drawFlameChartPicture(
  ctx: CanvasRenderingContext2D,
  answer: FlameChartAnswer,
  state: Omit<FlameChartDrawState, 'fills'>,
): void {
  const { theme, view, width, height, scrollTop, matches } = state;
  const ratio = window.devicePixelRatio || 1;
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
  const picture = pictures.picture(answer, key, width, height, (pictureCtx) => {
    fills.begin(pictureCtx.canvas.width, pictureCtx.canvas.height, ratio);
    drawFlameChart(pictureCtx, answer, { ...state, hovered: -1, marker: undefined, fills });
  });
  if (picture) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(picture, 0, 0);
    ctx.restore();
  }
  drawHoveredBox(ctx, answer, state);
  if (state.marker !== undefined)
    drawTimeLine(ctx, view, state.marker, width, height, theme.marker, 2);
}
