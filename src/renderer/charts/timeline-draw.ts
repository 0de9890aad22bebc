import type { Nanoseconds } from '../../shared/model';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import type { ColumnPixels } from './column-pixels';
import { formatTimestamp } from '../format/time';
import { columnMaxima } from './pixel-columns';
import { spanOf, timeTicks, xAtTime, type TimeRange } from './time-viewport';

/** One thread's activity as answered by the session: bins over [start, end). */
export interface ActivitySeries {
  start: Nanoseconds;
  end: Nanoseconds;
  bins: Float64Array;
  /** Multiplies a bin into 0..1 (1 / bin width for CPU time, 1 / max for counts). */
  scale: number;
}

/** Reused by every track's draw (a zoom draws every track on every frame: no garbage). */
const scratch = { columns: new Float64Array(0) };

/** The selected range: shaded, with edges. */
export function drawSelection(
  ctx: CanvasRenderingContext2D,
  view: TimeRange,
  selection: TimeRange,
  width: CssPixels,
  height: CssPixels,
  theme: ChartTheme,
): void {
  const x0 = Math.max(-2, xAtTime(view, selection.start, width));
  const x1 = Math.min(width + 2, xAtTime(view, selection.end, width));
  if (x1 < 0 || x0 > width) return;
  ctx.fillStyle = theme.selection;
  ctx.fillRect(x0, 0, Math.max(1, x1 - x0), height);
  ctx.fillStyle = theme.selectionEdge;
  ctx.fillRect(Math.round(x0), 0, 1, height);
  ctx.fillRect(Math.round(x1) - 1, 0, 1, height);
}

export function drawTimeLine(
  ctx: CanvasRenderingContext2D,
  view: TimeRange,
  time: Nanoseconds,
  width: CssPixels,
  height: CssPixels,
  color: string,
  lineWidth: CssPixels = 1,
): void {
  const x = xAtTime(view, time, width);
  if (x < -lineWidth || x > width + lineWidth) return;
  ctx.fillStyle = color;
  ctx.fillRect(Math.round(x - lineWidth / 2), 0, lineWidth, height);
}

/** The time axis: tick marks and labels along the bottom edge. */
export function drawTimeAxis(
  ctx: CanvasRenderingContext2D,
  view: TimeRange,
  width: CssPixels,
  height: CssPixels,
  theme: ChartTheme,
): void {
  const { step, times } = timeTicks(view, width);
  ctx.font = `11px ${theme.monoFont}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = theme.grid;
  ctx.fillRect(0, height - 1, width, 1);
  for (const t of times) {
    const x = Math.round(xAtTime(view, t, width));
    ctx.fillStyle = theme.grid;
    ctx.fillRect(x, height - 7, 1, 7);
    ctx.fillStyle = theme.textMuted;
    ctx.fillText(formatTimestamp(t, step), x + 4, height / 2 - 2);
  }
}

/** Everything one track of the timeline shows. */
export interface TrackPaint {
  view: TimeRange;
  width: CssPixels;
  height: CssPixels;
  theme: ChartTheme;
  /** Its activity, fetched for this view or an older one; undefined while none arrived. */
  series: ActivitySeries | undefined;
  /** The thread picked for the per-thread views (its bars stand out). */
  picked: boolean;
  /** The call tree's selected node's share of the activity, over it in the accent colour. */
  highlight?: ActivitySeries;
  selection: TimeRange | undefined;
  /** A sample picked in the list, on this track. */
  marker: Nanoseconds | undefined;
  hover: Nanoseconds | undefined;
}

/**
 * One track: grid, activity (and the selected call node's share of it), the selection, the
 * picked sample and the pointer's time. The grid and the bars are written as pixels (`pixels`,
 * see charts/column-pixels.ts) and put first; the rest is drawn over them. `ratio`: device
 * pixels per CSS pixel (the canvas' backing store, as prepareCanvas sized it).
 */
export function drawTrack(
  ctx: CanvasRenderingContext2D,
  t: TrackPaint,
  pixels: ColumnPixels,
  ratio: number,
): void {
  const { view, width, height, theme } = t;
  pixels.begin(Math.round(width * ratio), Math.round(height * ratio), ratio);
  for (const time of timeTicks(view, width).times) {
    pixels.line(Math.round(xAtTime(view, time, width)), theme.grid);
  }
  if (t.series) {
    const colour = t.picked ? theme.activitySelectedThread : theme.activity;
    const usable = height - 2;
    for (const [series, css] of [
      [t.series, colour],
      [t.highlight, theme.accent],
    ] as const) {
      if (!series || series.bins.length === 0) continue;
      const columns = columnMaxima(series.start, series.end, series.bins, view, width, scratch);
      pixels.bars(columns, series.scale, usable, height, css);
    }
  }
  pixels.put(ctx);
  if (t.selection) drawSelection(ctx, view, t.selection, width, height, theme);
  if (t.marker !== undefined) drawTimeLine(ctx, view, t.marker, width, height, theme.marker, 2);
  if (t.hover !== undefined) drawTimeLine(ctx, view, t.hover, width, height, theme.hoverLine);
}

/** The timeline's axis: the selection, ticks, the picked sample's mark, the pointer's time. */
export function drawTimelineAxis(
  ctx: CanvasRenderingContext2D,
  t: Omit<TrackPaint, 'series' | 'picked' | 'highlight'>,
): void {
  const { view, width, height, theme } = t;
  if (t.selection) drawSelection(ctx, view, t.selection, width, height, theme);
  drawTimeAxis(ctx, view, width, height, theme);
  if (t.marker !== undefined) {
    const x = xAtTime(view, t.marker, width);
    ctx.fillStyle = theme.marker;
    ctx.beginPath();
    ctx.moveTo(x - 5, height - 7);
    ctx.lineTo(x + 5, height - 7);
    ctx.lineTo(x, height - 1);
    ctx.fill();
  }
  if (t.hover !== undefined) {
    const x = xAtTime(view, t.hover, width);
    const label = formatTimestamp(t.hover, spanOf(view) / width);
    ctx.font = `11px ${theme.monoFont}`;
    const w = ctx.measureText(label).width + 10;
    const left = Math.min(width - w, Math.max(0, x - w / 2));
    ctx.fillStyle = theme.text;
    ctx.fillRect(left, 2, w, 16);
    ctx.fillStyle = theme.background;
    ctx.textBaseline = 'middle';
    ctx.fillText(label, left + 5, 10.5);
  }
}
