import type { Transform } from '../../shared/contract';
import { Growable, type Profile } from '../../shared/model';
import { childKey, DROPPED, funcStacks, type FuncStackTable } from './func-stacks';
import { compileTransforms } from './transforms';

/** Transformed tables kept per profile: the views of one window share a handful of lists. */
const CACHED_LISTS = 8;
const cache = new WeakMap<Profile, Map<string, FuncStackTable>>();

/**
 * The function stacks every aggregate query walks: `funcStacks` (by function, the frames mode
 * applied), then the transforms. Transforms work on the few thousand distinct function stacks,
 * never on samples: each is rewritten once and re-interned, and `ofStack` sends every profile
 * stack to its transformed node (or -1 emptied, or DROPPED). Cached per transform list.
 */
export function callStacks(
  profile: Profile,
  frames: 'all' | 'user' | 'kernel',
  transforms: readonly Transform[],
): FuncStackTable {
  const base = funcStacks(profile, frames);
  if (transforms.length === 0) return base;
  let perProfile = cache.get(profile);
  if (!perProfile) cache.set(profile, (perProfile = new Map()));
  const key = `${frames}|${JSON.stringify(transforms)}`;
  const cached = perProfile.get(key);
  if (cached) {
    perProfile.delete(key); // most recently used last
    perProfile.set(key, cached);
    return cached;
  }
  const table = transformTable(base, compileTransforms(profile, transforms));
  perProfile.set(key, table);
  if (perProfile.size > CACHED_LISTS) perProfile.delete(perProfile.keys().next().value!);
  return table;
}

function transformTable(
  base: FuncStackTable,
  transform: (path: number[]) => number[] | null,
): FuncStackTable {
  const func = new Growable(Int32Array);
  const prefix = new Growable(Int32Array);
  const depth = new Growable(Int32Array);
  const index = new Map<number, number>();
  const intern = (path: number[]): number => {
    let node = -1;
    for (const f of path) {
      const key = childKey(node, f);
      let next = index.get(key);
      if (next === undefined) {
        next = func.push(f);
        prefix.push(node);
        depth.push(node === -1 ? 0 : depth.get(node) + 1);
        index.set(key, next);
      }
      node = next;
    }
    return node;
  };
  let drops = false;
  const outcome = (path: number[]): number => {
    const out = transform(path);
    if (out === null) {
      drops = true;
      return DROPPED;
    }
    return intern(out);
  };
  const ofNode = new Int32Array(base.length);
  const path: number[] = [];
  for (let fs = 0; fs < base.length; fs++) {
    path.length = 0;
    for (let a = fs; a >= 0; a = base.prefix[a]!) path.push(base.func[a]!);
    ofNode[fs] = outcome(path.reverse());
  }
  // Stacks the frames mode emptied go through the transforms too (focus drops them).
  const ofEmpty = outcome([]);
  const ofStack = new Int32Array(base.ofStack.length);
  for (let s = 0; s < ofStack.length; s++) {
    const fs = base.ofStack[s]!;
    ofStack[s] = fs >= 0 ? ofNode[fs]! : ofEmpty;
  }
  return {
    length: func.length,
    func: func.finish(),
    prefix: prefix.finish(),
    depth: depth.finish(),
    ofStack,
    drops,
    ofEmpty,
    index,
  };
}
