import type { CpuTracksAnswer, MarkerKindName, MarkersAnswer } from '../../shared/contract';
import type { Nanoseconds } from '../../shared/model';
import type { CssPixels } from './canvas';
import { columnMaxima, fillColumns } from './pixel-columns';
import { xAtTime, type TimeRange } from './time-viewport';

/**
 * What the timeline draws besides activity: off-CPU stretches on thread tracks, context
 * switches, the marker lane, and the per-CPU tracks. Like the tracks' bars, everything is mapped
 * from the answer's bins through the current view, so an answer for an earlier view is drawn
 * right (stretched or shifted) until the fresh one arrives.
 */

/** Marker colours by kind: distinct hues that read on both themes. */
export const MARKER_COLORS: Record<MarkerKindName, string> = {
  'lost-events': '#e8590c',
  'lost-samples': '#e03131',
  comm: '#1c7ed6',
  exec: '#7048e8',
  mmap: '#2f9e44',
  tracepoint: '#f08c00',
  switch: '#868e96',
};

/** Off-CPU stretches: a translucent slate distinct from the activity colour and from no data. */
export function offCpuColor(dark: boolean): string {
  return dark ? 'rgba(150, 160, 190, 0.38)' : 'rgba(90, 100, 140, 0.28)';
}

/** Bins over [start, end) mapped to the view: calls `each(b, x0, w)` for bins on screen. */
function forBinsInView(
  start: Nanoseconds,
  end: Nanoseconds,
  n: number,
  view: TimeRange,
  width: CssPixels,
  each: (b: number, x0: CssPixels, w: CssPixels) => void,
): void {
  if (n === 0) return;
  const span = (end - start) / n;
  for (let b = 0; b < n; b++) {
    const t0 = start + b * span;
    const x0 = xAtTime(view, t0, width);
    const x1 = xAtTime(view, t0 + span, width);
    if (x1 < 0 || x0 > width) continue;
    each(b, x0, Math.max(1, x1 - x0));
  }
}

/**
 * A thread's off-CPU share of each bin, hanging from the top of its track (the activity grows
 * from the bottom); a bin the thread was neither sampled in nor off the CPU stays empty.
 */
export function drawOffCpu(
  ctx: CanvasRenderingContext2D,
  answer: { start: Nanoseconds; end: Nanoseconds },
  share: Float64Array,
  view: TimeRange,
  width: CssPixels,
  height: CssPixels,
  color: string,
): void {
  ctx.fillStyle = color;
  // whole-pixel runs, not a path: see charts/pixel-columns.ts
  fillColumns(
    ctx,
    columnMaxima(answer.start, answer.end, share, view, width),
    1,
    height - 2,
    undefined,
  );
}

/**
 * A thread's context switches along the top edge of its track: one tick per switch (out taller
 * than in) where they are far enough apart, else the columns that have any.
 */
export function drawSwitches(
  ctx: CanvasRenderingContext2D,
  answer: MarkersAnswer,
  row: MarkersAnswer['switches'][number],
  view: TimeRange,
  width: CssPixels,
  color: string,
): void {
  ctx.fillStyle = color;
  if (row.rows) {
    for (const s of row.rows) {
      const x = xAtTime(view, s.time, width);
      if (x < -1 || x > width + 1) continue;
      ctx.fillRect(Math.round(x), 0, 1, s.switchOut ? 6 : 3);
    }
    return;
  }
  forBinsInView(answer.start, answer.end, row.bins.length, view, width, (b, x0, w) => {
    if (row.bins[b]! > 0) ctx.fillRect(x0, 0, w, 3);
  });
}

/**
 * The marker lane: a row per kind (`kinds`, each `rowHeight` tall), a tick per marker when the
 * answer lists them, else the columns that hold any, darker where they hold more.
 */
export function drawMarkerLane(
  ctx: CanvasRenderingContext2D,
  answer: MarkersAnswer,
  kinds: readonly MarkerKindName[],
  view: TimeRange,
  width: CssPixels,
  rowHeight: CssPixels,
): void {
  kinds.forEach((kind, k) => {
    const y = k * rowHeight + 1;
    const h = rowHeight - 2;
    ctx.fillStyle = MARKER_COLORS[kind];
    if (!answer.aggregated) {
      for (const m of answer.rows) {
        if (m.kind !== kind) continue;
        const x = xAtTime(view, m.time, width);
        if (x < -2 || x > width + 2) continue;
        ctx.fillRect(Math.round(x) - 1, y, 3, h);
      }
      return;
    }
    const lane = answer.lanes.find((l) => l.kind === kind);
    if (!lane) return;
    forBinsInView(answer.start, answer.end, lane.bins.length, view, width, (b, x0, w) => {
      const n = lane.bins[b]!;
      // one marker: a third of the row; a thousand or more: all of it
      if (n === 0) return;
      const bar = Math.max(h / 3, Math.min(h, (h * Math.log10(n + 1)) / 3));
      ctx.fillRect(x0, y + h - bar, w, bar);
    });
  });
}

/**
 * One CPU's track: a bar per bin as tall as its share of the busiest bin, coloured by the
 * thread that ran most there (`colorOf`).
 */
export function drawCpuTrack(
  ctx: CanvasRenderingContext2D,
  answer: CpuTracksAnswer,
  row: CpuTracksAnswer['rows'][number],
  view: TimeRange,
  width: CssPixels,
  height: CssPixels,
  colorOf: (thread: number) => string,
): void {
  const usable = height - 2;
  const max = Math.max(1, answer.max);
  forBinsInView(answer.start, answer.end, row.bins.length, view, width, (b, x0, w) => {
    const v = row.bins[b]!;
    if (v <= 0) return;
    const h = Math.max(1, (v / max) * usable);
    ctx.fillStyle = colorOf(row.thread[b]!);
    ctx.fillRect(x0, height - h, w, h);
  });
}

/** A thread's colour on the CPU tracks: hues spread by the golden angle, stable per thread. */
export function threadColor(thread: number, dark: boolean): string {
  const hue = Math.round((thread * 137.508) % 360);
  return dark ? `hsl(${hue} 55% 62%)` : `hsl(${hue} 60% 45%)`;
}

/** A thread's name changes (prctl, exec): each name after the first, where it took effect. */
export function renamesOf(
  comms: readonly { time: Nanoseconds; name: string }[],
): { time: Nanoseconds; name: string }[] {
  return comms.filter((c, i) => i > 0 && c.name !== comms[i - 1]!.name);
}

/**
 * Name changes on a thread's track: a tick at the top edge and the new name beside it where the
 * next change leaves room for it.
 */
export function drawRenames(
  ctx: CanvasRenderingContext2D,
  renames: readonly { time: Nanoseconds; name: string }[],
  view: TimeRange,
  width: CssPixels,
  height: CssPixels,
  color: string,
  font: string,
): void {
  ctx.font = font;
  ctx.textBaseline = 'top';
  renames.forEach((r, k) => {
    const x = xAtTime(view, r.time, width);
    if (x < -1 || x > width) return;
    ctx.fillStyle = MARKER_COLORS.comm;
    ctx.fillRect(Math.round(x), 0, 2, height);
    const next = renames[k + 1];
    const room = (next ? xAtTime(view, next.time, width) : width) - x - 6;
    const label = `→ ${r.name}`;
    if (ctx.measureText(label).width <= room) {
      ctx.fillStyle = color;
      ctx.fillText(label, x + 4, 2);
    }
  });
}
