import {
  MARKER_KINDS,
  type MarkerKindName,
  type MarkerRow,
  type MarkersAnswer,
} from '../../shared/contract';
import type { Nanoseconds } from '../../shared/model';
import type { CssPixels } from '../charts/canvas';
import type { TooltipContent } from '../charts/hover-tooltip';
import { timeAtX, xAtTime, type TimeRange } from '../charts/time-viewport';
import { formatCount } from '../format/numbers';
import { formatSampleTime } from '../format/time';

/** The lane's kinds, in the order of their rows (context switches are drawn on thread tracks). */
export const LANE_KINDS: readonly MarkerKindName[] = MARKER_KINDS;

export const MARKER_KIND_LABEL: Record<MarkerKindName, string> = {
  'lost-events': 'Lost events',
  'lost-samples': 'Lost samples',
  comm: 'Renames',
  exec: 'exec',
  mmap: 'New libraries (mmap)',
  tracepoint: 'Tracepoints',
  switch: 'Context switches',
};

/** Height of one kind's row in the lane. */
export const MARKER_ROW_HEIGHT: CssPixels = 9;
/** A marker under the pointer: within this many pixels of it. */
const HIT_SLOP: CssPixels = 4;

/** The rows of the lane: the kinds any of the answers has anything of, in LANE_KINDS order. */
export function laneRows(...answers: (MarkersAnswer | undefined)[]): MarkerKindName[] {
  const present = new Set(answers.flatMap((a) => a?.lanes.map((l) => l.kind) ?? []));
  return LANE_KINDS.filter((k) => present.has(k));
}

/** What the pointer is over in the lane: one marker, or a column of aggregated ones. */
export type MarkerHit =
  | { kind: 'marker'; row: MarkerRow }
  | { kind: 'bin'; marker: MarkerKindName; count: number; range: TimeRange };

/**
 * The marker nearest the pointer on the lane row under it (markers one by one), else the column
 * of that row's counts (aggregated markers). Rows are laid out as `rows` says (by default the
 * answer's own kinds).
 */
export function hitMarker(
  answer: MarkersAnswer,
  view: TimeRange,
  width: CssPixels,
  x: CssPixels,
  y: CssPixels,
  rows: readonly MarkerKindName[] = laneRows(answer),
): MarkerHit | undefined {
  const kind = rows[Math.floor(y / MARKER_ROW_HEIGHT)];
  if (!kind) return undefined;
  if (!answer.aggregated) {
    let best: MarkerRow | undefined;
    let bestDx = HIT_SLOP + 1;
    for (const row of answer.rows) {
      if (row.kind !== kind) continue;
      const dx = Math.abs(xAtTime(view, row.time, width) - x);
      if (dx < bestDx) {
        best = row;
        bestDx = dx;
      }
    }
    return best && { kind: 'marker', row: best };
  }
  const lane = answer.lanes.find((l) => l.kind === kind);
  if (!lane) return undefined;
  const n = lane.bins.length;
  const span = (answer.end - answer.start) / n;
  const b = Math.floor((timeAtX(view, x, width) - answer.start) / span);
  const count = lane.bins[b] ?? 0;
  if (count === 0) return undefined;
  const start = answer.start + b * span;
  return { kind: 'bin', marker: kind, count, range: { start, end: start + span } };
}

/**
 * The time range a click on a marker selects: around the marker, a few pixels each side at the
 * current zoom (at least 2 µs); a column of aggregated markers selects the column.
 */
export function rangeAroundHit(hit: MarkerHit, view: TimeRange, width: CssPixels): TimeRange {
  if (hit.kind === 'bin') return hit.range;
  const half = Math.max(1_000, (8 * (view.end - view.start)) / Math.max(1, width));
  return { start: hit.row.time - half, end: hit.row.time + half };
}

/** The tooltip of a marker or a column of markers. */
export function markerTooltip(
  hit: MarkerHit,
  threadName: (thread: number) => string | undefined,
): TooltipContent {
  if (hit.kind === 'bin') {
    return {
      title: `${formatCount(hit.count)} ${MARKER_KIND_LABEL[hit.marker].toLowerCase()}`,
      lines: [
        { label: 'from', value: `${formatSampleTime(hit.range.start)} s` },
        { label: 'to', value: `${formatSampleTime(hit.range.end)} s` },
      ],
      note: 'Zoom in to see them one by one; click to select this range.',
    };
  }
  const row = hit.row;
  const lines: TooltipContent['lines'] = [
    { label: 'time', value: `${formatSampleTime(row.time)} s` },
  ];
  const name = row.thread >= 0 ? threadName(row.thread) : undefined;
  if (row.tid >= 0) {
    lines.push({ label: 'thread', value: `${name ?? ''} ${row.pid}/${row.tid}`.trim() });
  }
  if (row.cpu >= 0) lines.push({ label: 'CPU', value: String(row.cpu) });
  if (row.kind === 'lost-events' || row.kind === 'lost-samples') {
    lines.push({ label: 'lost', value: formatCount(row.count) });
  }
  return {
    title: row.label,
    subtitle: MARKER_KIND_LABEL[row.kind],
    lines,
    note: row.detail || undefined,
  };
}

/** A marker's time on screen, for drawing: its x, or undefined when outside the view. */
export function markerX(view: TimeRange, time: Nanoseconds, width: CssPixels): number | undefined {
  const x = xAtTime(view, time, width);
  return x < -HIT_SLOP || x > width + HIT_SLOP ? undefined : x;
}
