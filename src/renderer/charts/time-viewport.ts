import type { Nanoseconds } from '../../shared/model';
import { niceTimeStep } from '../format/time';
import type { CssPixels } from './canvas';

/** A time window, ns from the start of the recording, end exclusive. */
export interface TimeRange {
  start: Nanoseconds;
  end: Nanoseconds;
}

/** Zooming stops at a microsecond across the view: below that, samples are all there is. */
export const MIN_VIEW_SPAN: Nanoseconds = 1_000;

export function spanOf(range: TimeRange): Nanoseconds {
  return range.end - range.start;
}

export function timeAtX(view: TimeRange, x: CssPixels, width: CssPixels): Nanoseconds {
  return view.start + (x / Math.max(1, width)) * spanOf(view);
}

export function xAtTime(view: TimeRange, time: Nanoseconds, width: CssPixels): CssPixels {
  return ((time - view.start) / Math.max(1e-9, spanOf(view))) * width;
}

/** An ordered range from two times in any order. */
export function rangeBetween(a: Nanoseconds, b: Nanoseconds): TimeRange {
  return a <= b ? { start: a, end: b } : { start: b, end: a };
}

/** Keeps a view inside the bounds and at least `minSpan` wide, moving rather than cutting it. */
export function clampView(view: TimeRange, bounds: TimeRange, minSpan = MIN_VIEW_SPAN): TimeRange {
  const boundSpan = spanOf(bounds);
  const span = Math.min(boundSpan, Math.max(Math.min(minSpan, boundSpan), spanOf(view)));
  let start = view.start;
  if (start < bounds.start) start = bounds.start;
  if (start + span > bounds.end) start = bounds.end - span;
  return { start, end: start + span };
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping `anchor` at the same place on screen, as mouse-wheel
 * zoom does around the pointer.
 */
export function zoomAround(
  view: TimeRange,
  anchor: Nanoseconds,
  factor: number,
  bounds: TimeRange,
  minSpan = MIN_VIEW_SPAN,
): TimeRange {
  const span = spanOf(view);
  const newSpan = Math.min(spanOf(bounds), Math.max(minSpan, span * factor));
  const ratio = span > 0 ? (anchor - view.start) / span : 0.5;
  const start = anchor - ratio * newSpan;
  return clampView({ start, end: start + newSpan }, bounds, minSpan);
}

export function panBy(view: TimeRange, delta: Nanoseconds, bounds: TimeRange): TimeRange {
  return clampView({ start: view.start + delta, end: view.end + delta }, bounds);
}

export interface TimeTicks {
  step: Nanoseconds;
  times: Nanoseconds[];
}

/** Axis ticks on the 1-2-5 series, at least `minSpacing` pixels apart. */
export function timeTicks(
  view: TimeRange,
  width: CssPixels,
  minSpacing: CssPixels = 90,
): TimeTicks {
  const span = spanOf(view);
  if (!(span > 0) || width <= 0) return { step: 1, times: [] };
  const step = niceTimeStep((span * minSpacing) / width);
  const times: Nanoseconds[] = [];
  for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) times.push(t);
  return { step, times };
}

/** The view, or a view of the same span centred on `time` when the time is outside it. */
export function viewShowing(view: TimeRange, time: Nanoseconds): TimeRange {
  if (time >= view.start && time < view.end) return view;
  const half = spanOf(view) / 2;
  return { start: time - half, end: time + half };
}

/** The middle of the part of `range` inside the view, or undefined when none of it is. */
export function visibleMiddle(view: TimeRange, range: TimeRange): Nanoseconds | undefined {
  if (range.end <= view.start || range.start >= view.end) return undefined;
  return (Math.max(range.start, view.start) + Math.min(range.end, view.end)) / 2;
}

/** Where two ranges overlap, or undefined when they do not. */
export function intersect(a: TimeRange, b: TimeRange): TimeRange | undefined {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start < end ? { start, end } : undefined;
}
