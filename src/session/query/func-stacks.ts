import {
  FuncKind,
  StackTableBuilder,
  type IndexIntoFuncTable,
  type IndexIntoStackTable,
  type Profile,
} from '../../shared/model';

/**
 * Stacks by function instead of frame (two addresses in one function are one node), with
 * optionally only user or only kernel frames: the tree flame graphs and call trees are drawn
 * from. Built once per (profile, frames mode) and cached.
 */
export interface FuncStackTable {
  length: number;
  func: Int32Array; // IndexIntoFuncTable
  prefix: Int32Array; // IndexIntoFuncStackTable | -1 for roots
  depth: Int32Array;
  /**
   * For each stack of the profile: its function stack; -1 when all its frames were filtered or
   * transformed away (the sample stays, attributed to its thread alone); DROPPED when a
   * transform drops the sample.
   */
  ofStack: Int32Array; // IndexIntoFuncStackTable | -1 | DROPPED
  /** True when some entry of `ofStack` is DROPPED. */
  drops: boolean;
  /** What an empty stack becomes: -1 (kept, no frames) or DROPPED (a focus transform). */
  ofEmpty: number;
  /** The child of `parent` (-1: the roots) for `func`, -1 when there is none. */
  child(parent: number, func: number): number;
}

/** `ofStack` of a sample that a transform dropped. */
export const DROPPED = -2;

/** The node of a call path (function indexes from the root), -1 when there is none. */
export function nodeOfPath(table: FuncStackTable, path: readonly number[]): number {
  let node = -1;
  for (const func of path) {
    node = table.child(node, func);
    if (node < 0) return -1;
  }
  return node;
}

/** A row of a FuncStackTable. */
export type IndexIntoFuncStackTable = number;

const cache = new WeakMap<Profile, Map<string, FuncStackTable>>();

export function funcStacks(profile: Profile, frames: 'all' | 'user' | 'kernel'): FuncStackTable {
  let perProfile = cache.get(profile);
  if (!perProfile) {
    perProfile = new Map();
    cache.set(profile, perProfile);
  }
  const cached = perProfile.get(frames);
  if (cached) return cached;
  const { stacks, frames: frameTable, funcs } = profile;
  const builder = new StackTableBuilder();
  const ofStack = new Int32Array(stacks.length);
  for (let s: IndexIntoStackTable = 0; s < stacks.length; s++) {
    const parent = stacks.prefix[s]!;
    const parentFs = parent === -1 ? -1 : ofStack[parent]!;
    const f: IndexIntoFuncTable = frameTable.func[stacks.frame[s]!]!;
    const kind = funcs.kind[f]!;
    const keep =
      frames === 'all' ||
      (frames === 'kernel' ? kind === FuncKind.KERNEL : kind !== FuncKind.KERNEL);
    ofStack[s] = keep ? builder.intern(parentFs, f) : parentFs;
  }
  // The builder's `frame` column holds functions here.
  const { length, frame: func, prefix, depth } = builder.finish();
  const table: FuncStackTable = {
    length,
    func,
    prefix,
    depth,
    ofStack,
    drops: false,
    ofEmpty: -1,
    child: (parent, f) => builder.find(parent, f),
  };
  perProfile.set(frames, table);
  return table;
}

/** Per function stack: self weight (samples ending there) and total (itself and below). */
export function funcStackWeights(
  table: FuncStackTable,
  stackWeights: Float64Array,
): { self: Float64Array; total: Float64Array } {
  const self = new Float64Array(table.length);
  for (let s = 0; s < stackWeights.length; s++) {
    const w = stackWeights[s]!;
    if (w === 0) continue;
    const fs = table.ofStack[s]!;
    if (fs >= 0) self[fs] = self[fs]! + w;
  }
  const total = self.slice();
  // prefix < index: a reverse pass adds every node into its parent after its own children.
  for (let fs = table.length - 1; fs >= 0; fs--) {
    const p = table.prefix[fs]!;
    if (p >= 0) total[p] = total[p]! + total[fs]!;
  }
  return { self, total };
}
