import type { Filters, Transform, Weight } from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import type {
  IndexIntoEventTable,
  IndexIntoThreadTable,
  Nanoseconds,
  Profile,
} from '../../shared/model';
import { callStacks } from './call-stacks';
import { DROPPED, type FuncStackTable } from './func-stacks';
import { checkTransforms } from './transforms';
import { offCpuStackWeights } from './off-cpu';
import { loadSumsOf, type StackSums as LoadedSums } from '../model/load-sums';

/** Filters resolved against a profile: concrete threads, event, range. */
export interface ResolvedFilters {
  event: IndexIntoEventTable;
  threads: IndexIntoThreadTable[];
  start: Nanoseconds;
  end: Nanoseconds;
  merge: boolean;
  frames: 'all' | 'user' | 'kernel';
  transforms: Transform[];
  /** Only samples on these CPUs; undefined: all. */
  cpus?: Set<number>;
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
  if (f.merge === false && profile.meta.rawView === false) {
    throw new SessionError(
      'bad-request',
      'this profile was loaded without the merging-off view (its stacks as recorded)',
    );
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
    transforms: checkTransforms(f.transforms),
    cpus: f.cpus ? new Set(f.cpus) : undefined,
  };
}

/** The key of what per-sample sums depend on (threads, event, range, merge, CPUs). */
function sumsKey(f: ResolvedFilters): string {
  return JSON.stringify([f.threads, f.event, f.start, f.end, f.merge, f.cpus && [...f.cpus]]);
}

/** The function stacks a query walks: frames mode and transforms applied (cached). */
export function stacksOf(profile: Profile, f: ResolvedFilters): FuncStackTable {
  return callStacks(profile, f.frames, f.transforms);
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

/** Per-stack sums kept per profile, by what they depend on (threads, event, range, merge). */
const CACHED_SUMS = 6;
/**
 * LoadSums' shape: `counts` by `stack * 4 + status` (the model stores the four merged-view
 * statuses, never DEFERRED_RAW).
 */
interface StackSums extends LoadedSums {
  /** Filled on first use: counts per stack as weights. */
  samples?: Float64Array;
}
const sumCache = new WeakMap<Profile, Map<string, StackSums>>();

/** Period sums and status counts per stack for the filtered samples: one pass, cached. */
function stackSums(profile: Profile, f: ResolvedFilters): StackSums {
  const key = sumsKey(f);
  let perProfile = sumCache.get(profile);
  if (!perProfile) sumCache.set(profile, (perProfile = new Map()));
  const known = perProfile.get(key);
  if (known) return known;
  // every sample: the load summed them as it stored them (a copy: `samples` is added to it)
  const loaded = everySample(profile, f) ? loadSumsOf(profile)?.[f.event] : undefined;
  const sums = loaded ? { ...loaded } : sumSamples(profile, f);
  perProfile.set(key, sums);
  if (perProfile.size > CACHED_SUMS) perProfile.delete(perProfile.keys().next().value!);
  return sums;
}

/** One pass over the filtered samples. */
function sumSamples(profile: Profile, f: ResolvedFilters): StackSums {
  const period = new Float64Array(profile.stacks.length);
  const counts = new Uint32Array(profile.stacks.length * 4);
  let totalPeriod = 0;
  let totalSamples = 0;
  for (const t of f.threads) {
    const s = profile.threads[t]!.samples;
    const [first, last] = sampleRange(s.time, f.start, f.end);
    const stacks = f.merge ? s.stack : s.rawStack;
    const cpus = f.cpus;
    for (let i = first; i < last; i++) {
      if (s.event[i] !== f.event) continue;
      if (cpus && !cpus.has(s.cpu[i]!)) continue;
      const st = stacks[i]!;
      if (st < 0) continue;
      const p = s.period[i]!;
      period[st] = period[st]! + p;
      totalPeriod += p;
      const k = st * 4 + s.status[i]!;
      counts[k] = counts[k]! + 1;
      totalSamples++;
    }
  }
  return { period, counts, totalPeriod, totalSamples };
}

/** Whether `f` keeps every sample of its event: every thread, merged, whole range, every CPU. */
function everySample(profile: Profile, f: ResolvedFilters): boolean {
  const all =
    f.merge &&
    !f.cpus &&
    f.start === -Infinity &&
    f.end === Infinity &&
    f.threads.length === profile.threads.length;
  return all && f.threads.every((t, i) => t === i);
}

/**
 * Summed weight per stack index for the filtered samples, without those a transform drops (the
 * basis of every aggregate view: aggregating per stack first turns a million samples into a few
 * thousand stacks). The sums before the transforms are cached, so applying or removing a
 * transform costs a pass over the stacks, not over the samples. Never modify the answer.
 * `weights` is indexed by IndexIntoStackTable.
 */
export function stackWeights(
  profile: Profile,
  f: ResolvedFilters,
  weight: Weight,
): { weights: Float64Array; total: number } {
  let all: { weights: Float64Array; total: number };
  const sums = weight === 'off-cpu' ? undefined : stackSums(profile, f);
  if (!sums) all = offCpuStackWeights(profile, f, sumsKey(f));
  else if (weight === 'period') all = { weights: sums.period, total: sums.totalPeriod };
  else {
    if (!sums.samples) {
      sums.samples = new Float64Array(profile.stacks.length);
      for (let st = 0; st < sums.samples.length; st++) {
        const k = st * 4;
        sums.samples[st] =
          sums.counts[k]! + sums.counts[k + 1]! + sums.counts[k + 2]! + sums.counts[k + 3]!;
      }
    }
    all = { weights: sums.samples, total: sums.totalSamples };
  }
  const table = stacksOf(profile, f);
  if (!table.drops) return all;
  const weights = all.weights.slice();
  let total = all.total;
  for (let st = 0; st < weights.length; st++) {
    if (table.ofStack[st] !== DROPPED || weights[st] === 0) continue;
    total -= weights[st]!;
    weights[st] = 0;
  }
  return { weights, total };
}

/**
 * Sample counts per stack and MergeStatus (`stack * 4 + status`) for the filtered samples,
 * before transforms (cached with the weights). Never modify the answer.
 */
export function stackStatusCounts(profile: Profile, f: ResolvedFilters): Uint32Array {
  return stackSums(profile, f).counts;
}
