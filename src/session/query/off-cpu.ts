import type { ThreadSwitchSummary } from '../../shared/contract';
import {
  OffCpuCause,
  OffCpuStackSource,
  SwitchSource,
  type OffCpuTable,
  type Profile,
  type ThreadInfo,
} from '../../shared/model';
import { lowerBound, type ResolvedFilters } from './filters';

/**
 * Calls `visit(i, ns)` for each off-CPU interval of `o` that overlaps [start, end), with the
 * nanoseconds inside the range. Intervals of a thread never overlap, so their ends are sorted.
 */
export function forEachOffCpu(
  o: OffCpuTable,
  start: number,
  end: number,
  cpus: Set<number> | undefined,
  visit: (i: number, ns: number) => void,
): void {
  for (let i = start === -Infinity ? 0 : lowerBound(o.end, start); i < o.length; i++) {
    const s = o.start[i]!;
    if (s >= end) break;
    if (cpus && !cpus.has(o.cpu[i]!)) continue;
    visit(i, Math.min(o.end[i]!, end) - Math.max(s, start));
  }
}

const CACHED = 4;
const cache = new WeakMap<Profile, Map<string, { weights: Float64Array; total: number }>>();

/**
 * Off-CPU nanoseconds per stack for the filtered threads, range and CPUs (the "off-CPU time"
 * width of the flame graph and the call tree). Intervals without a stack count in no stack.
 */
export function offCpuStackWeights(
  profile: Profile,
  f: ResolvedFilters,
  key: string,
): { weights: Float64Array; total: number } {
  let perProfile = cache.get(profile);
  if (!perProfile) cache.set(profile, (perProfile = new Map()));
  const known = perProfile.get(key);
  if (known) return known;
  const weights = new Float64Array(profile.stacks.length);
  let total = 0;
  for (const t of f.threads) {
    const o = profile.threads[t]!.offCpu;
    if (!o) continue;
    const stacks = f.merge ? o.stack : o.rawStack;
    forEachOffCpu(o, f.start, f.end, f.cpus, (i, ns) => {
      const st = stacks[i]!;
      if (st < 0) return;
      weights[st] = weights[st]! + ns;
      total += ns;
    });
  }
  const answer = { weights, total };
  perProfile.set(key, answer);
  if (perProfile.size > CACHED) perProfile.delete(perProfile.keys().next().value!);
  return answer;
}

/** The share of each of `bins` equal bins of [start, end) the thread spent off the CPU. */
export function offCpuBins(
  o: OffCpuTable,
  start: number,
  end: number,
  bins: number,
  cpus?: Set<number>,
): Float64Array {
  const out = new Float64Array(bins);
  const width = (end - start) / bins;
  if (!(width > 0)) return out;
  forEachOffCpu(o, start, end, cpus, (i) => {
    const s = Math.max(o.start[i]!, start);
    const e = Math.min(o.end[i]!, end);
    const first = Math.min(bins - 1, Math.floor((s - start) / width));
    const last = Math.min(bins - 1, Math.floor((e - start) / width));
    for (let b = first; b <= last; b++) {
      const b0 = start + b * width;
      const overlap = Math.min(e, b0 + width) - Math.max(s, b0);
      if (overlap > 0) out[b] = out[b]! + overlap / width;
    }
  });
  return out;
}

/** A thread's on- and off-CPU totals from its switches; undefined when it has none. */
export function switchSummary(
  th: ThreadInfo,
  source: SwitchSource | undefined,
): ThreadSwitchSummary | undefined {
  const sw = th.switches;
  const o = th.offCpu;
  if (!sw || !o || source === undefined) return undefined;
  let onCpu = 0;
  // times are relative to the first sample: switches before it are negative
  let since: number | undefined;
  for (let i = 0; i < sw.length; i++) {
    if (!sw.out[i]) since = sw.time[i]!;
    else if (since !== undefined) {
      onCpu += sw.time[i]! - since;
      since = undefined;
    }
  }
  const summary: ThreadSwitchSummary = {
    onCpu,
    offCpu: 0,
    voluntary: 0,
    preempted: 0,
    intervals: o.length,
    stackFromSchedSwitch: 0,
    stackFromLastSample: 0,
    withoutStack: 0,
    source: source === SwitchSource.SWITCH_RECORD ? 'switch records' : 'sched_switch samples',
  };
  for (let i = 0; i < o.length; i++) {
    const ns = o.end[i]! - o.start[i]!;
    summary.offCpu += ns;
    if (o.cause[i] === OffCpuCause.PREEMPTED) summary.preempted += ns;
    else summary.voluntary += ns;
    const src = o.stackSource[i];
    if (src === OffCpuStackSource.SCHED_SWITCH) summary.stackFromSchedSwitch++;
    else if (src === OffCpuStackSource.LAST_SAMPLE) summary.stackFromLastSample++;
    else summary.withoutStack++;
  }
  return summary;
}
