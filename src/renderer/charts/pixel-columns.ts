import type { Nanoseconds } from '../../shared/model';
import type { CssPixels } from './canvas';
import { xAtTime, type TimeRange } from './time-viewport';

/**
 * Bar graphs drawn as whole pixel columns. A path of one fractional rectangle per bin is
 * rasterised with anti-aliasing when the canvas is committed, on the main thread: about 37 ms
 * per 1145-pixel track in headless Chromium (5 tracks: 188 ms a frame), against 0.7 ms for the
 * same bars as integer `fillRect` runs. So bins are first reduced to one value per column, then
 * drawn as runs of equal height.
 */

/** Rounding noise in a bin edge's x (a bin ending at 100 - 1e-9 px does not reach column 100). */
const EDGE_SLACK = 1e-6;

/**
 * Per pixel column of [0, width): the largest value of the bins over [start, end) that cover it,
 * the bins mapped through `view` (so bins of an earlier view are stretched or squeezed); 0 where
 * no bin does. A bin covers the columns its span overlaps, at least one. With `reuse`, the answer
 * is written in its buffer (grown when too small), valid until the next call that reuses it.
 */
export function columnMaxima(
  start: Nanoseconds,
  end: Nanoseconds,
  values: ArrayLike<number>,
  view: TimeRange,
  width: CssPixels,
  reuse?: { columns: Float64Array },
): Float64Array {
  const columns = Math.max(0, Math.floor(width));
  let out: Float64Array;
  if (reuse) {
    if (reuse.columns.length < columns) reuse.columns = new Float64Array(columns);
    out = reuse.columns.subarray(0, columns);
    out.fill(0);
  } else out = new Float64Array(columns);
  const n = values.length;
  if (n === 0 || columns === 0) return out;
  const span = (end - start) / n;
  for (let b = 0; b < n; b++) {
    const v = values[b]!;
    if (!(v > 0)) continue;
    const t0 = start + b * span;
    const c0 = Math.floor(xAtTime(view, t0, width) + EDGE_SLACK);
    const c1 = Math.max(c0 + 1, Math.ceil(xAtTime(view, t0 + span, width) - EDGE_SLACK));
    if (c1 <= 0 || c0 >= columns) continue;
    for (let c = Math.max(0, c0); c < Math.min(columns, c1); c++) if (v > out[c]!) out[c] = v;
  }
  return out;
}

/** A column's bar, in CSS pixels: `max(1, round(min(1, v * scale) * usable))`, 0 for none. */
export function barHeight(v: number, scale: number, usable: CssPixels): CssPixels {
  return v > 0 ? Math.max(1, Math.round(Math.min(1, v * scale) * usable)) : 0;
}

/**
 * Bars from per-column values: each non-zero column `max(1, round(min(1, v * scale) * usable))`
 * pixels tall, growing up from `bottom` or down from the top (`bottom` undefined), a run of
 * columns of equal height in one `fillRect`. The caller sets the fill style.
 */
export function fillColumns(
  ctx: CanvasRenderingContext2D,
  columns: Float64Array,
  scale: number,
  usable: CssPixels,
  bottom: CssPixels | undefined,
): void {
  const heightOf = (v: number): number => barHeight(v, scale, usable);
  let runStart = 0;
  let runHeight = columns.length ? heightOf(columns[0]!) : 0;
  for (let c = 1; c <= columns.length; c++) {
    const h = c < columns.length ? heightOf(columns[c]!) : -1;
    if (h === runHeight) continue;
    if (runHeight > 0) {
      ctx.fillRect(
        runStart,
        bottom === undefined ? 0 : bottom - runHeight,
        c - runStart,
        runHeight,
      );
    }
    runStart = c;
    runHeight = h;
  }
}
