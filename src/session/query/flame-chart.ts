import type { FlameChartAnswer, FlameChartQuery } from '../../shared/contract';
import type { Profile } from '../../shared/model';
import { resolveFilters, sampleRange, stacksOf } from './filters';
import { funcDictionary } from './func-info';

/** At most this many gaps are looked at to find a thread's sampling interval. */
const MAX_GAPS_MEASURED = 65_536;
/** A box spans consecutive samples while they are at most this many sampling intervals apart. */
export const MAX_GAP_INTERVALS = 2;

const intervalCache = new WeakMap<Float64Array, Map<number, number>>();

/**
 * The sampling interval of a thread's samples of one event: the median time between consecutive
 * samples (while a thread runs, samples come one interval apart; every idle stretch adds only
 * one long gap, so the median is the interval). Cached per thread and event.
 */
export function samplingInterval(time: Float64Array, events: Uint16Array, event: number): number {
  let perEvent = intervalCache.get(time);
  if (!perEvent) intervalCache.set(time, (perEvent = new Map()));
  const cached = perEvent.get(event);
  if (cached !== undefined) return cached;
  let count = 0;
  for (let i = 0; i < events.length; i++) if (events[i] === event) count++;
  const stride = Math.max(1, Math.ceil(count / MAX_GAPS_MEASURED));
  const gaps: number[] = [];
  let previous = -1;
  let k = 0;
  for (let i = 0; i < events.length; i++) {
    if (events[i] !== event) continue;
    if (previous >= 0 && k++ % stride === 0) gaps.push(time[i]! - time[previous]!);
    previous = i;
  }
  const sorted = Float64Array.from(gaps).sort();
  const interval = sorted.length ? sorted[sorted.length >> 1]! : Infinity;
  perEvent.set(event, interval);
  return interval;
}

/**
 * One thread's stacks over time: at every depth, consecutive samples with the same function path
 * become one box, as long as they are at most MAX_GAP_INTERVALS sampling intervals apart: a box
 * never spans a stretch where the thread was not sampled (off CPU), it ends one interval after
 * its last sample. With more samples than pixels, one sample per half pixel is taken (level of
 * detail), so the answer stays screen-sized; gaps are judged on every sample.
 */
export function flameChart(profile: Profile, q: FlameChartQuery): FlameChartAnswer {
  const f = resolveFilters(profile, { ...q.filters, threads: [q.thread] });
  const s = profile.threads[q.thread]!.samples;
  const table = stacksOf(profile, f);
  const [first, last] = sampleRange(s.time, f.start, f.end);
  const start = Number.isFinite(f.start) ? f.start : first < last ? s.time[first]! : 0;
  const end = Number.isFinite(f.end)
    ? f.end
    : last > first
      ? s.time[last - 1]! + s.period[last - 1]!
      : start;
  const stacks = f.merge ? s.stack : s.rawStack;
  const interval = samplingInterval(s.time, s.event, f.event);
  const maxGap = MAX_GAP_INTERVALS * interval;
  const width = Math.max(1, q.width);
  const step = (end - start) / (2 * width); // half a pixel
  const depthOut: number[] = [];
  const startOut: number[] = [];
  const endOut: number[] = [];
  const funcOut: number[] = [];
  // The open box at each depth: its function-stack node and start time.
  const openNode: number[] = [];
  const openStart: number[] = [];
  let maxDepth = -1;
  const path: number[] = [];
  const close = (fromDepth: number, at: number): void => {
    for (let d = openNode.length - 1; d >= fromDepth; d--) {
      depthOut.push(d);
      startOut.push(openStart[d]!);
      endOut.push(at);
      funcOut.push(table.func[openNode[d]!]!);
    }
    openNode.length = Math.min(openNode.length, fromDepth);
    openStart.length = openNode.length;
  };
  let nextTime = -Infinity;
  let lastTime = -Infinity;
  const cpus = f.cpus;
  for (let i = first; i < last; i++) {
    if (s.event[i] !== f.event) continue;
    if (cpus && !cpus.has(s.cpu[i]!)) continue;
    const t = s.time[i]!;
    // an idle stretch: every box ends one interval after the last sample before it
    if (t - lastTime > maxGap) close(0, lastTime + interval);
    lastTime = t;
    if (t < nextTime) continue;
    nextTime = t + step;
    const st = stacks[i]!;
    path.length = 0;
    // A sample a transform dropped is a gap, like one without a stack.
    for (let fs = st >= 0 ? table.ofStack[st]! : -1; fs >= 0; fs = table.prefix[fs]!) path.push(fs);
    path.reverse();
    let d = 0;
    while (d < path.length && d < openNode.length && openNode[d] === path[d]) d++;
    close(d, t);
    for (; d < path.length; d++) {
      openNode.push(path[d]!);
      openStart.push(t);
    }
    if (path.length - 1 > maxDepth) maxDepth = path.length - 1;
  }
  close(0, Math.min(end, lastTime + (Number.isFinite(interval) ? interval : end - lastTime)));
  return {
    start,
    end,
    depth: Uint16Array.from(depthOut),
    boxStart: Float64Array.from(startOut),
    boxEnd: Float64Array.from(endOut),
    func: Int32Array.from(funcOut),
    funcs: funcDictionary(profile, funcOut),
    maxDepth: Math.max(0, maxDepth),
  };
}
