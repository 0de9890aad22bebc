import type { Transform } from '../../shared/contract';
import { StackTableBuilder, type Profile } from '../../shared/model';
import { DROPPED, funcStacks, type FuncStackTable } from './func-stacks';
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
  // Stacks of functions (the builder's `frame` column holds them).
  const builder = new StackTableBuilder();
  const child = (parent: number, f: number): number => builder.intern(parent, f);
  const intern = (path: number[]): number => {
    let node = -1;
    for (const f of path) node = child(node, f);
    return node;
  };
  let drops = false;
  const ofNode = new Int32Array(base.length);
  // 1 where the transforms left the whole path as it was: its node is then its transformed
  // parent's child, one lookup instead of a walk from the root.
  const unchanged = new Uint8Array(base.length);
  const path: number[] = [];
  for (let fs = 0; fs < base.length; fs++) {
    path.length = 0;
    for (let a = fs; a >= 0; a = base.prefix[a]!) path.push(base.func[a]!);
    path.reverse();
    const out = transform(path);
    const parent = base.prefix[fs]!;
    if (out === null) {
      drops = true;
      ofNode[fs] = DROPPED;
    } else if (out === path && (parent < 0 || unchanged[parent] === 1)) {
      unchanged[fs] = 1;
      ofNode[fs] = child(parent < 0 ? -1 : ofNode[parent]!, base.func[fs]!);
    } else {
      ofNode[fs] = intern(out);
    }
  }
  // Stacks the frames mode emptied go through the transforms too (focus drops them).
  const empty = transform([]);
  if (empty === null) drops = true;
  const ofEmpty = empty === null ? DROPPED : intern(empty);
  const ofStack = new Int32Array(base.ofStack.length);
  for (let s = 0; s < ofStack.length; s++) {
    const fs = base.ofStack[s]!;
    ofStack[s] = fs >= 0 ? ofNode[fs]! : ofEmpty;
  }
  const { length, frame: func, prefix, depth } = builder.finish();
  return {
    length,
    func,
    prefix,
    depth,
    ofStack,
    drops,
    ofEmpty,
    child: (parent, f) => builder.find(parent, f),
  };
}
