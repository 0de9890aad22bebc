import type { Filters } from '../../shared/contract';
import type { Profile, ThreadInfo } from '../../shared/model';
import { lowerBound, resolveFilters, sampleRange, stacksOf, type ResolvedFilters } from './filters';
import { DROPPED, type FuncStackTable } from './func-stacks';

/**
 * The stacks an export walks: the profile's frame stacks (addresses kept), or with transforms
 * the transformed function stacks (functions only, `frame` -1).
 */
export interface ExportStacks {
  prefix(node: number): number;
  func(node: number): number;
  /** The node's frame in the profile's frame table, -1 for a function-only node. */
  frame(node: number): number;
}

/** The samples of one thread under one comm, aggregated per stack node. */
export interface StackGroup {
  /** Index into profile.threads. */
  readonly thread: number;
  readonly comm: string;
  /** Distinct stack nodes (-1: no frames), with their sample counts and summed periods. */
  readonly nodes: Int32Array;
  readonly counts: Float64Array;
  readonly weights: Float64Array;
}

export interface StackGroups {
  readonly filters: ResolvedFilters;
  readonly stacks: ExportStacks;
  /** True when `stacks` are transformed function stacks (built for the frames filter). */
  readonly transformed: boolean;
  readonly groups: StackGroup[];
}

/**
 * A thread's samples cut where its comm changes (comms are oldest first; a sample takes the
 * latest comm at or before its time): [first, end) sample indexes and the comm of each piece.
 */
export function commRuns(th: ThreadInfo, time: Float64Array, first: number, last: number) {
  const runs: { first: number; end: number; comm: string }[] = [];
  let c = 0;
  let i = first;
  while (i < last) {
    while (c + 1 < th.comms.length && th.comms[c + 1]!.time <= time[i]!) c++;
    const comm = th.comms[c]?.name ?? th.name;
    const next = th.comms[c + 1];
    const end = next ? Math.max(i + 1, lowerBound(time, next.time)) : last;
    runs.push({ first: i, end: Math.min(end, last), comm });
    i = Math.min(end, last);
  }
  return runs;
}

function profileStacks(profile: Profile): ExportStacks {
  const { stacks, frames } = profile;
  return {
    prefix: (n) => stacks.prefix[n]!,
    frame: (n) => stacks.frame[n]!,
    func: (n) => frames.func[stacks.frame[n]!]!,
  };
}

function transformedStacks(table: FuncStackTable): ExportStacks {
  return { prefix: (n) => table.prefix[n]!, func: (n) => table.func[n]!, frame: () => -1 };
}

/**
 * The filtered samples of the filters' event aggregated by integer keys: per (thread, comm) the
 * sample count and summed period of each distinct stack node (what pprof and speedscope
 * exports write; never a string per sample). Samples a transform drops are left out; with a
 * frames filter (user or kernel only) the export skips the other frames itself.
 */
export function stackGroups(profile: Profile, filters: Filters): StackGroups {
  const f = resolveFilters(profile, filters);
  const transformed = f.transforms.length > 0 ? stacksOf(profile, f) : undefined;
  const size = (transformed ? transformed.length : profile.stacks.length) + 1;
  const counts = new Float64Array(size); // index node + 1 (0: no frames)
  const weights = new Float64Array(size);
  const touched = new Int32Array(size);
  const groups: StackGroup[] = [];
  for (const t of f.threads) {
    const th = profile.threads[t]!;
    const s = th.samples;
    const [first, last] = sampleRange(s.time, f.start, f.end);
    const stackCol = f.merge ? s.stack : s.rawStack;
    for (const run of commRuns(th, s.time, first, last)) {
      let n = 0;
      for (let i = run.first; i < run.end; i++) {
        if (s.event[i] !== f.event) continue;
        if (f.cpus && !f.cpus.has(s.cpu[i]!)) continue;
        let node = stackCol[i]!;
        if (transformed) {
          node = node < 0 ? transformed.ofEmpty : transformed.ofStack[node]!;
          if (node === DROPPED) continue;
        }
        const k = node + 1;
        if (counts[k] === 0) touched[n++] = k;
        counts[k] = counts[k]! + 1;
        weights[k] = weights[k]! + s.period[i]!;
      }
      if (n === 0) continue;
      const group = {
        thread: t,
        comm: run.comm,
        nodes: new Int32Array(n),
        counts: new Float64Array(n),
        weights: new Float64Array(n),
      };
      for (let j = 0; j < n; j++) {
        const k = touched[j]!;
        group.nodes[j] = k - 1;
        group.counts[j] = counts[k]!;
        group.weights[j] = weights[k]!;
        counts[k] = 0;
        weights[k] = 0;
      }
      groups.push(group);
    }
  }
  return {
    filters: f,
    stacks: transformed ? transformedStacks(transformed) : profileStacks(profile),
    transformed: transformed !== undefined,
    groups,
  };
}
