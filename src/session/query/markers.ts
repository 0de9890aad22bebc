import {
  MARKER_KINDS,
  type MarkerKindName,
  type MarkerRow,
  type MarkersAnswer,
  type MarkersQuery,
} from '../../shared/contract';
import { MarkerKind, OffCpuCause, type MarkerTable, type Profile } from '../../shared/model';
import { resolveFilters, sampleRange } from './filters';

/** Most markers listed one by one in an answer. */
export const MAX_MARKER_ROWS = 2000;
/** A thread's switches are listed one by one when they are this many bins apart on average. */
const SWITCH_SPACING_BINS = 4;
/** Switches listed one by one in an answer, over all threads: this many times `limit`. */
const SWITCH_ROWS_PER_LIMIT = 5;

const LABEL: Record<MarkerKindName, string> = {
  'lost-events': 'lost events',
  'lost-samples': 'lost samples',
  comm: 'renamed',
  exec: 'exec',
  mmap: 'mmap',
  tracepoint: 'tracepoint',
  switch: 'switch',
};

/**
 * The marker lane of a time range: per kind, markers per pixel column, and the markers one by
 * one when few enough to tell apart; context switches per thread track, one by one where they
 * are at least a few pixels apart, else counted per column.
 */
export function markers(profile: Profile, q: MarkersQuery): MarkersAnswer {
  const f = resolveFilters(profile, {
    range: q.filters.range,
    threads: q.filters.threads,
    pids: q.filters.pids,
  });
  const start = Number.isFinite(f.start) ? f.start : 0;
  const end = Number.isFinite(f.end) ? f.end : profile.meta.duration + 1;
  const bins = Math.max(1, Math.min(Math.floor(q.bins), 16384));
  const width = (end - start) / bins;
  const binOf = (t: number): number =>
    Math.min(bins - 1, Math.max(0, Math.floor((t - start) / width)));
  const limit = Math.max(0, Math.min(q.limit ?? MAX_MARKER_ROWS, MAX_MARKER_ROWS));
  // a range from the profile's start (time 0, the first sample) takes the markers before it too
  // (an exec, the first mmaps), drawn in the first column; one to its end takes those after it
  const from = start <= 0 ? -Infinity : start;
  const to = end > profile.meta.duration ? Infinity : end;
  const wanted = new Set<MarkerKindName>(q.kinds ?? [...MARKER_KINDS, 'switch']);
  const threadSet = q.filters.threads || q.filters.pids ? new Set(f.threads) : undefined;
  const answer: MarkersAnswer = {
    start,
    end,
    lanes: [],
    rows: [],
    aggregated: false,
    switches: [],
  };

  const m = profile.markers;
  if (m) {
    const lanes = new Map<
      MarkerKindName,
      { kind: MarkerKindName; bins: Uint32Array; total: number }
    >();
    const [first, last] = sampleRange(m.time, from, to);
    const inView: number[] = [];
    for (let i = first; i < last; i++) {
      const kind = MARKER_KINDS[m.kind[i]!]!;
      if (!wanted.has(kind)) continue;
      // lost data belongs to every thread selection; other markers to their thread's track
      if (threadSet && !isLost(m.kind[i]!) && !threadSet.has(m.thread[i]!)) continue;
      let lane = lanes.get(kind);
      if (!lane) lanes.set(kind, (lane = { kind, bins: new Uint32Array(bins), total: 0 }));
      lane.bins[binOf(m.time[i]!)]!++;
      lane.total++;
      inView.push(i);
    }
    answer.lanes = MARKER_KINDS.flatMap((k) => lanes.get(k) ?? []);
    answer.aggregated = inView.length > limit;
    if (!answer.aggregated) answer.rows = inView.map((i) => markerRow(profile, m, i));
  }

  if (wanted.has('switch')) {
    // switches listed one by one over all threads at most (beyond it, threads get counts only)
    let switchRowsLeft = limit * SWITCH_ROWS_PER_LIMIT;
    for (const t of f.threads) {
      const sw = profile.threads[t]!.switches;
      if (!sw) continue;
      const [a, b] = sampleRange(sw.time, from, to);
      if (b === a) continue;
      const row = {
        thread: t,
        bins: new Uint32Array(bins),
        total: b - a,
        rows: undefined as MarkerRow[] | undefined,
      };
      for (let i = a; i < b; i++) row.bins[binOf(sw.time[i]!)]!++;
      if ((b - a) * SWITCH_SPACING_BINS <= bins && b - a <= switchRowsLeft) {
        switchRowsLeft -= b - a;
        const th = profile.threads[t]!;
        row.rows = [];
        for (let i = a; i < b; i++) {
          const out = sw.out[i] === 1;
          const preempted = out && sw.cause[i] === OffCpuCause.PREEMPTED;
          row.rows.push({
            kind: 'switch',
            time: sw.time[i]!,
            thread: t,
            pid: th.pid,
            tid: th.tid,
            cpu: sw.cpu[i]!,
            count: 0,
            label: out
              ? preempted
                ? 'switched out (preempted)'
                : 'switched out (blocked)'
              : 'switched in',
            detail: '',
            switchOut: out,
            preempted,
          });
        }
      }
      answer.switches.push(row);
    }
  }
  return answer;
}

function isLost(kind: number): boolean {
  return kind === MarkerKind.LOST_EVENTS || kind === MarkerKind.LOST_SAMPLES;
}

function markerRow(profile: Profile, m: MarkerTable, i: number): MarkerRow {
  const kind = MARKER_KINDS[m.kind[i]!]!;
  const text = m.text[i]! >= 0 ? profile.strings[m.text[i]!]! : '';
  const count = m.count[i]!;
  let label = LABEL[kind];
  let detail = text;
  switch (m.kind[i]) {
    case MarkerKind.LOST_EVENTS:
    case MarkerKind.LOST_SAMPLES:
      label = `${count} ${LABEL[kind]}`;
      detail = m.cpu[i]! >= 0 ? `on CPU ${m.cpu[i]}` : '';
      break;
    case MarkerKind.COMM:
    case MarkerKind.EXEC:
      label = `${LABEL[kind]}: ${text}`;
      break;
    case MarkerKind.MMAP:
      label = `${LABEL[kind]}: ${text.slice(text.lastIndexOf('/') + 1)}`;
      break;
    case MarkerKind.TRACEPOINT: {
      const event = profile.events[m.event[i]!]?.name ?? 'tracepoint';
      label = event;
      detail = text || '(fields not kept: too many tracepoint markers)';
      break;
    }
  }
  return {
    kind,
    time: m.time[i]!,
    thread: m.thread[i]!,
    pid: m.pid[i]!,
    tid: m.tid[i]!,
    cpu: m.cpu[i]!,
    count,
    label,
    detail,
  };
}
