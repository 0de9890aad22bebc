import type { FlameChartAnswer, FlameChartQuery } from '../../shared/contract';
import type { Profile } from '../../shared/model';
import { resolveFilters, sampleRange, stacksOf } from './filters';
import { funcDictionary } from './func-info';

/**
 * One thread's stacks over time: at every depth, consecutive samples with the same function path
 * become one box. With more samples than pixels, one sample per half pixel is taken (level of
 * detail), so the answer stays screen-sized.
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
  const cpus = f.cpus;
  for (let i = first; i < last; i++) {
    if (s.event[i] !== f.event) continue;
    if (cpus && !cpus.has(s.cpu[i]!)) continue;
    const t = s.time[i]!;
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
  close(0, end);
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
