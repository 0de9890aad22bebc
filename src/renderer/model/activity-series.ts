import type { ThreadSummary, TimelineAnswer } from '../../shared/contract';
import type { ActivitySeries } from '../charts/timeline-draw';

/**
 * Each row of a timeline answer as a thread's activity series. With `periodIsTime` a bin holds
 * nanoseconds of CPU time, so over the bin's length it is the thread's CPU usage (1 = a whole
 * CPU); otherwise bins are counts, scaled to the answer's largest bin.
 */
export function activitySeries(
  answer: TimelineAnswer,
  periodIsTime: boolean,
): Map<number, ActivitySeries> {
  const out = new Map<number, ActivitySeries>();
  const binSpan = (answer.end - answer.start) / Math.max(1, answer.rows[0]?.bins.length ?? 1);
  const scale = periodIsTime ? 1 / binSpan : answer.max > 0 ? 1 / answer.max : 0;
  for (const row of answer.rows)
    out.set(row.thread, { start: answer.start, end: answer.end, bins: row.bins, scale });
  return out;
}

/**
 * A process row's graph: the bins of its threads that share one view (the first one found sets
 * it), summed and scaled to their own peak. Undefined when none of its threads has a series.
 */
export function processSeries(
  pid: number,
  threads: readonly ThreadSummary[],
  seriesByThread: ReadonlyMap<number, ActivitySeries>,
): ActivitySeries | undefined {
  let sum: Float64Array | undefined;
  let model: ActivitySeries | undefined;
  for (const t of threads) {
    if (t.pid !== pid) continue;
    const s = seriesByThread.get(t.index);
    if (!s) continue;
    if (!model || !sum) {
      model = s;
      sum = new Float64Array(s.bins.length);
    }
    if (s.start !== model.start || s.end !== model.end || s.bins.length !== sum.length) continue;
    for (let b = 0; b < s.bins.length; b++) sum[b]! += s.bins[b]!;
  }
  if (!model || !sum) return undefined;
  let max = 0;
  for (const v of sum) if (v > max) max = v;
  return { start: model.start, end: model.end, bins: sum, scale: max > 0 ? 1 / max : 0 };
}
