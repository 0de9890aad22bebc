import type { Filters } from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import type {
  IndexIntoEventTable,
  IndexIntoThreadTable,
  Nanoseconds,
  Profile,
} from '../../shared/model';

/** Filters resolved against a profile: concrete threads, event, range. */
export interface ResolvedFilters {
  event: IndexIntoEventTable;
  threads: IndexIntoThreadTable[];
  start: Nanoseconds;
  end: Nanoseconds;
  merge: boolean;
  frames: 'all' | 'user' | 'kernel';
}

/** The event with the most samples: what a query looks at unless told otherwise. */
export function defaultEvent(profile: Profile): IndexIntoEventTable {
  let best = 0;
  profile.events.forEach((e, i) => {
    if (e.samples > (profile.events[best]?.samples ?? -1)) best = i;
  });
  return best;
}

export function resolveFilters(profile: Profile, f: Filters = {}): ResolvedFilters {
  const event = f.event ?? defaultEvent(profile);
  if (
    !Number.isInteger(event) ||
    event < 0 ||
    (event >= profile.events.length && profile.events.length > 0)
  ) {
    throw new SessionError('bad-request', `no event ${event}`);
  }
  let threads = f.threads ?? profile.threads.map((_, i) => i);
  for (const t of threads) {
    if (!Number.isInteger(t) || t < 0 || t >= profile.threads.length)
      throw new SessionError('bad-request', `no thread ${t}`);
  }
  if (f.pids) {
    const pids = new Set(f.pids);
    threads = threads.filter((t) => pids.has(profile.threads[t]!.pid));
  }
  return {
    event,
    threads,
    start: f.range?.start ?? -Infinity,
    end: f.range?.end ?? Infinity,
    merge: f.merge ?? true,
    frames: f.frames ?? 'all',
  };
}

/** First index whose time is >= t (samples are sorted by time). */
export function lowerBound(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [first, end) sample indexes of a thread inside the time range. */
export function sampleRange(time: Float64Array, start: number, end: number): [number, number] {
  const first = start === -Infinity ? 0 : lowerBound(time, start);
  const last = end === Infinity ? time.length : lowerBound(time, end);
  return [first, Math.max(first, last)];
}

/**
 * Summed weight per stack index for the filtered samples (the basis of every aggregate view:
 * aggregating per stack first turns a million samples into a few thousand stacks).
 * `weights` is indexed by IndexIntoStackTable.
 */
export function stackWeights(
  profile: Profile,
  f: ResolvedFilters,
  weight: 'samples' | 'period',
): { weights: Float64Array; total: number } {
  const weights = new Float64Array(profile.stacks.length);
  let total = 0;
  for (const t of f.threads) {
    const s = profile.threads[t]!.samples;
    const [first, last] = sampleRange(s.time, f.start, f.end);
    const stacks = f.merge ? s.stack : s.rawStack;
    const event = s.event;
    const period = s.period;
    for (let i = first; i < last; i++) {
      if (event[i] !== f.event) continue;
      const st = stacks[i]!;
      if (st < 0) continue;
      const w = weight === 'samples' ? 1 : period[i]!;
      weights[st] = weights[st]! + w;
      total += w;
    }
  }
  return { weights, total };
}
