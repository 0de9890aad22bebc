import type { CallTreeAnswer, Filters, FlameGraphAnswer } from '../contract';

/**
 * A differential flame graph: the new profile's boxes (width = its weight), each with the share
 * the same call path has in the baseline. Paths are matched by function name and library, from
 * the root, as perf diff matches entries by DSO and symbol: the two recordings are two sessions
 * whose function indexes mean nothing to each other.
 */
export interface FlameGraphDiff {
  /** Per node of the new answer: its share of the new profile (nodeTotal / rootTotal). */
  newShare: Float64Array;
  /** Per node: the same path's share of the baseline; 0 when the baseline lacks it. */
  baseShare: Float64Array;
  /** Per node: 1 when the baseline has no such path (new code path). */
  onlyNew: Uint8Array;
  /** Call paths of the baseline that the new profile lacks (gone), and their summed share. */
  onlyBase: { count: number; share: number };
  /** The largest |newShare - baseShare| of any node: the colour scale's end. */
  maxDelta: number;
}

/** "name\0lib" of each node's function, joined from the root: a path key valid across sessions. */
export function pathKeys(answer: FlameGraphAnswer): string[] {
  const keys: string[] = [];
  const stack: string[] = [];
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    const info = answer.funcs[answer.func[i]!];
    stack.length = depth;
    stack.push(`${info?.name ?? '?'}\u0000${info?.lib ?? '?'}`);
    keys.push(stack.join('\u0001'));
  }
  return keys;
}

/** Each call path's share of the answer's whole tree, by path key (pathKeys). */
export function sharesByPath(answer: FlameGraphAnswer): Map<string, number> {
  const shares = new Map<string, number>();
  pathKeys(answer).forEach((k, i) => {
    shares.set(k, (shares.get(k) ?? 0) + share(answer.nodeTotal[i]!, answer.rootTotal));
  });
  return shares;
}

/** The path keys of a call tree's rows (top-down: the same keys as a flame graph's nodes). */
export function callTreePathKeys(answer: CallTreeAnswer): string[] {
  const keys: string[] = [];
  for (let i = 0; i < answer.func.length; i++) {
    const info = answer.funcs[answer.func[i]!];
    const own = `${info?.name ?? '?'}\u0000${info?.lib ?? '?'}`;
    const parent = answer.parent[i]!;
    keys.push(parent >= 0 ? `${keys[parent]!}\u0001${own}` : own);
  }
  return keys;
}

/**
 * The filters that mean the same in another recording: thread, process and event indexes and
 * time ranges are each recording's own, merging, frames and transforms (by name) are not.
 */
export function portableFilters(f: Filters): Filters {
  return { merge: f.merge, frames: f.frames, transforms: f.transforms };
}

/**
 * Matches every node of `next` with the baseline's node of the same call path. Both answers
 * are of whole trees (unfocused) or of the same focus path by name; shares are of each
 * answer's rootTotal, so recordings of different lengths compare. Nodes the baseline folded
 * away as narrower than a pixel count as missing there: ask it at least as wide as `next`.
 */
export function diffFlameGraphs(next: FlameGraphAnswer, base: FlameGraphAnswer): FlameGraphDiff {
  const n = next.depth.length;
  const baseShareByPath = sharesByPath(base);
  const baseKeys = pathKeys(base);
  const newShare = new Float64Array(n);
  const baseShare = new Float64Array(n);
  const onlyNew = new Uint8Array(n);
  const seen = new Set<string>();
  let maxDelta = 0;
  pathKeys(next).forEach((k, i) => {
    newShare[i] = share(next.nodeTotal[i]!, next.rootTotal);
    const b = baseShareByPath.get(k);
    if (b === undefined) onlyNew[i] = 1;
    baseShare[i] = b ?? 0;
    seen.add(k);
    maxDelta = Math.max(maxDelta, Math.abs(newShare[i]! - baseShare[i]!));
  });
  // gone paths: count the outermost only (their children are gone with them)
  let count = 0;
  let goneShare = 0;
  baseKeys.forEach((k, i) => {
    if (seen.has(k)) return;
    const parent = k.slice(0, Math.max(0, k.lastIndexOf('\u0001')));
    if (parent && !seen.has(parent)) return;
    count++;
    goneShare += share(base.nodeTotal[i]!, base.rootTotal);
  });
  return { newShare, baseShare, onlyNew, onlyBase: { count, share: goneShare }, maxDelta };
}

function share(weight: number, total: number): number {
  return total > 0 ? weight / total : 0;
}

/**
 * The differential colour of a change in share: red where the new profile spends more, blue
 * where less, saturation by |delta| / scale (the legend's scale), grey for no change.
 */
export function deltaColor(delta: number, scale: number, dark: boolean): string {
  const t = scale > 0 ? Math.min(1, Math.abs(delta) / scale) : 0;
  const hue = delta >= 0 ? 2 : 214;
  const saturation = Math.round(8 + 72 * Math.sqrt(t));
  const lightness = dark ? Math.round(34 + 14 * (1 - t)) : Math.round(88 - 30 * t);
  return `hsl(${hue} ${saturation}% ${lightness}%)`;
}
