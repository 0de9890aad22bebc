import type { SampleAtAnswer, SampleAtQuery } from '../../shared/contract';
import type { Profile } from '../../shared/model';
import { resolveFilters } from './filters';
import { callchain, listedSamples } from './samples';

/** Frames an answer carries at most (the hover shows the top of the stack). */
export const MAX_HOVER_FRAMES = 32;

/**
 * The sample of a thread nearest `time` among those the sample list shows under the filters
 * (event, range, CPUs, merge status, samples a transform drops left out), with the top of its
 * stack: what the
 * timeline's hover shows, and the sample the list selects on a click.
 */
export function sampleAt(profile: Profile, q: SampleAtQuery): SampleAtAnswer | null {
  const f = resolveFilters(profile, { ...q.filters, threads: [q.thread] });
  const s = profile.threads[q.thread]!.samples;
  const { all, from, to } = listedSamples(profile, f, q.thread, q.mergeStatus);
  if (to <= from) return null;
  // the first listed sample at or after the time, and the one before it
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (s.time[all[m]!]! < q.time) lo = m + 1;
    else hi = m;
  }
  let k = lo;
  if (k === to || (k > from && q.time - s.time[all[k - 1]!]! <= s.time[all[k]!]! - q.time)) k--;
  const i = all[k]!;
  const stack = (f.merge ? s.stack : s.rawStack)[i]!;
  const frames = stack >= 0 ? callchain(profile, stack) : [];
  const maxFrames = Math.max(1, Math.min(q.maxFrames ?? MAX_HOVER_FRAMES, MAX_HOVER_FRAMES));
  return {
    index: i,
    row: k - from,
    time: s.time[i]!,
    thread: q.thread,
    tid: profile.threads[q.thread]!.tid,
    cpu: s.cpu[i]!,
    event: s.event[i]!,
    period: s.period[i]!,
    status: s.status[i]!,
    frames: frames.slice(0, maxFrames),
    depth: frames.length,
    stack,
  };
}
