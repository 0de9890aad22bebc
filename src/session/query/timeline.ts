import type { TimelineAnswer, TimelineQuery } from '../../shared/contract';
import type { Profile, SampleTable } from '../../shared/model';
import { resolveFilters, sampleRange, stacksOf } from './filters';
import { checkPath, nodeMembers } from './call-tree';
import { DROPPED, type FuncStackTable } from './func-stacks';
import { offCpuBins } from './off-cpu';

/** Above this many samples in view, a thread's bins come from its precomputed fine histogram. */
const DIRECT_LIMIT = 200_000;
/** Resolution of the precomputed histograms (buckets over the whole recording). */
const FINE_BUCKETS = 1 << 16;

interface FineHistogram {
  start: number;
  bucket: number;
  counts: Float64Array;
  periods: Float64Array;
}

const fineCache = new WeakMap<SampleTable, Map<number, FineHistogram>>();
/** With transforms that drop samples: per table, per stack column (thread and merge mode). */
const keptFineCache = new WeakMap<
  FuncStackTable,
  WeakMap<Int32Array, Map<number, FineHistogram>>
>();

/**
 * Which samples count: all, or (`ofStack` set) those whose stack a transform did not drop.
 * Plain arrays rather than a callback: the loops over millions of samples stay monomorphic.
 */
interface Keep {
  stacks: Int32Array;
  ofStack: Int32Array | undefined;
}
const dropped = (keep: Keep, i: number): boolean => {
  const st = keep.stacks[i]!;
  return keep.ofStack !== undefined && st >= 0 && keep.ofStack[st] === DROPPED;
};

function cacheFor(
  s: SampleTable,
  table: FuncStackTable,
  stacks: Int32Array,
): { perEvent: Map<number, FineHistogram>; keep: Keep } {
  if (!table.drops) {
    let perEvent = fineCache.get(s);
    if (!perEvent) fineCache.set(s, (perEvent = new Map()));
    return { perEvent, keep: { stacks, ofStack: undefined } };
  }
  let perTable = keptFineCache.get(table);
  if (!perTable) keptFineCache.set(table, (perTable = new WeakMap()));
  let perEvent = perTable.get(stacks);
  if (!perEvent) perTable.set(stacks, (perEvent = new Map()));
  return { perEvent, keep: { stacks, ofStack: table.ofStack } };
}

/** Per-event histogram of a thread at FINE_BUCKETS resolution over the whole recording. */
function fineHistogram(
  s: SampleTable,
  event: number,
  start: number,
  end: number,
  perEvent: Map<number, FineHistogram>,
  keep: Keep,
): FineHistogram {
  const cached = perEvent.get(event);
  if (cached) return cached;
  const bucket = Math.max(1, (end - start) / FINE_BUCKETS);
  const counts = new Float64Array(FINE_BUCKETS);
  const periods = new Float64Array(FINE_BUCKETS);
  for (let i = 0; i < s.length; i++) {
    if (s.event[i] !== event || dropped(keep, i)) continue;
    const b = Math.min(FINE_BUCKETS - 1, Math.max(0, Math.floor((s.time[i]! - start) / bucket)));
    counts[b] = counts[b]! + 1;
    periods[b] = periods[b]! + s.period[i]!;
  }
  const h = { start, bucket, counts, periods };
  perEvent.set(event, h);
  return h;
}

/**
 * Sample density per thread over a time range, one bin per pixel column. Small ranges are
 * counted exactly from the samples; views with many samples resample the precomputed fine
 * histogram (level of detail), so ten million samples answer in milliseconds.
 */
export function timeline(
  profile: Profile,
  q: TimelineQuery,
  directLimit = DIRECT_LIMIT,
): TimelineAnswer {
  const f = resolveFilters(profile, q.filters);
  const table = stacksOf(profile, f);
  const members = q.highlight
    ? nodeMembers(table, checkPath(profile, q.highlight.path, 'highlight'), !!q.highlight.inverted)
    : undefined;
  const duration = profile.meta.duration;
  const start = Number.isFinite(f.start) ? f.start : 0;
  const end = Number.isFinite(f.end) ? f.end : duration + 1;
  const bins = Math.max(1, Math.min(Math.floor(q.bins), 16384));
  const binWidth = (end - start) / bins;
  const usePeriod = q.weight === 'period';
  const rows: TimelineAnswer['rows'] = [];
  let max = 0;
  for (const t of f.threads) {
    const s = profile.threads[t]!.samples;
    const out = new Float64Array(bins);
    let total = 0;
    const [first, last] = sampleRange(s.time, start, end);
    const { perEvent, keep } = cacheFor(s, table, f.merge ? s.stack : s.rawStack);
    const fine = fineHistogram(s, f.event, 0, duration + 1, perEvent, keep);
    const cpus = f.cpus;
    if (last - first <= directLimit || binWidth < fine.bucket * 4 || cpus) {
      for (let i = first; i < last; i++) {
        if (s.event[i] !== f.event || dropped(keep, i)) continue;
        if (cpus && !cpus.has(s.cpu[i]!)) continue;
        const b = Math.min(bins - 1, Math.floor((s.time[i]! - start) / binWidth));
        const w = usePeriod ? s.period[i]! : 1;
        out[b] = out[b]! + w;
        total += w;
      }
    } else {
      const src = usePeriod ? fine.periods : fine.counts;
      const firstBucket = Math.max(0, Math.floor((start - fine.start) / fine.bucket));
      const lastBucket = Math.min(FINE_BUCKETS, Math.ceil((end - fine.start) / fine.bucket));
      for (let k = firstBucket; k < lastBucket; k++) {
        const v = src[k]!;
        if (v === 0) continue;
        const mid = fine.start + (k + 0.5) * fine.bucket;
        const b = Math.min(bins - 1, Math.max(0, Math.floor((mid - start) / binWidth)));
        out[b] = out[b]! + v;
        total += v;
      }
    }
    for (let b = 0; b < bins; b++) if (out[b]! > max) max = out[b]!;
    const o = profile.threads[t]!.offCpu;
    const offCpu = o ? offCpuBins(o, start, end, bins, cpus) : undefined;
    rows.push({ thread: t, bins: out, total, ...(offCpu && { offCpu }) });
    if (q.highlight) {
      rows[rows.length - 1]!.highlight = highlightBins(
        s,
        f,
        members,
        first,
        last,
        start,
        binWidth,
        bins,
        usePeriod,
        table,
      );
    }
  }
  return { start, end, rows, max };
}

/** Bins of the samples of one call node (`members` marks its function stacks). */
function highlightBins(
  s: SampleTable,
  f: { event: number; merge: boolean; cpus?: ReadonlySet<number> },
  members: Uint8Array | undefined,
  first: number,
  last: number,
  start: number,
  binWidth: number,
  bins: number,
  usePeriod: boolean,
  table: FuncStackTable,
): Float64Array {
  const out = new Float64Array(bins);
  if (!members) return out;
  const stacks = f.merge ? s.stack : s.rawStack;
  for (let i = first; i < last; i++) {
    if (s.event[i] !== f.event) continue;
    if (f.cpus && !f.cpus.has(s.cpu[i]!)) continue;
    const st = stacks[i]!;
    const fs = st >= 0 ? table.ofStack[st]! : -1;
    if (fs < 0 || members[fs] !== 1) continue;
    const b = Math.min(bins - 1, Math.floor((s.time[i]! - start) / binWidth));
    out[b] = out[b]! + (usePeriod ? s.period[i]! : 1);
  }
  return out;
}
