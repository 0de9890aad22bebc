import type { FlameChartAnswer } from '../../shared/contract';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { FLAME_CHART_ROW_HEIGHT, chartRowTop } from './flame-chart-geometry';
import { frameFill, hatchPattern, isSyntheticKind } from './frame-colors';
import { fitLabel, LABEL_PADDING } from './label-fit';
import { xAtTime, type TimeRange } from './time-viewport';

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
  const rowH = FLAME_CHART_ROW_HEIGHT;
  const minDepth = Math.max(0, Math.floor(scrollTop / rowH));
  const maxDepth = Math.ceil((scrollTop + height) / rowH);
  ctx.font = `11px ${theme.monoFont}`;
  ctx.textBaseline = 'middle';
  const charWidth = ctx.measureText('M').width || 7;
  let drawn = 0;
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    if (depth < minDepth || depth > maxDepth) continue;
    const x0 = xAtTime(view, answer.boxStart[i]!, width);
    const x1 = xAtTime(view, answer.boxEnd[i]!, width);
    if (x1 <= 0 || x0 >= width || x1 - x0 < 0.3) continue;
    const x = Math.max(-1, x0);
    const w = Math.min(width + 1, x1) - x;
    const y = chartRowTop(depth, rowH) - scrollTop;
    const func = answer.func[i]!;
    const info = answer.funcs[func];
    const name = info?.name ?? '?';
    const kind = info?.kind ?? 'user';
    const dimmed = state.matches !== undefined && !state.matches.has(func);
    const boxW = Math.max(0.5, w - (w >= 3 ? 1 : 0));
    ctx.fillStyle = dimmed
      ? theme.dimmedBox
      : state.matches
        ? theme.searchMatch
        : frameFill(name, kind, theme.dark);
    ctx.fillRect(x, y, boxW, rowH - 1);
    if (isSyntheticKind(kind) && !dimmed) {
      const pattern = hatchPattern(ctx, kind, theme.dark);
      if (pattern) {
        ctx.fillStyle = pattern;
        ctx.fillRect(x, y, boxW, rowH - 1);
      }
    }
    if (i === state.hovered) {
      ctx.strokeStyle = theme.text;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x + 0.75, y + 0.75, Math.max(0, boxW - 1.5), rowH - 2.5);
    }
    // Keep the label on screen when the box starts left of the view.
    const visibleX = Math.max(0, x);
    const label = fitLabel(name, x + w - visibleX, charWidth);
    if (label) {
      ctx.fillStyle = dimmed ? theme.dimmedText : theme.boxText;
      ctx.fillText(label, visibleX + LABEL_PADDING, y + (rowH - 1) / 2 + 0.5);
    }
    drawn++;
  }
  if (state.marker !== undefined) {
    const mx = xAtTime(view, state.marker, width);
    if (mx >= 0 && mx <= width) {
      ctx.fillStyle = theme.marker;
      ctx.fillRect(Math.round(mx) - 1, 0, 2, height);
    }
  }
  return drawn;
}
