import type { CallchainFrame } from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import {
  FuncKind,
  LibKind,
  type IndexIntoFuncTable,
  type IndexIntoLibTable,
  type Profile,
} from '../../shared/model';
import { compileSearchPattern, type SearchPattern } from '../../shared/policy/search-pattern';

const KIND: Record<number, CallchainFrame['kind']> = {
  [FuncKind.USER]: 'user',
  [FuncKind.KERNEL]: 'kernel',
  [FuncKind.UNMERGED]: 'unmerged',
  [FuncKind.DEFERRED_COOKIE]: 'deferred',
};

/**
 * Functions the transforms add (collapse-library's one frame per library), numbered after the
 * profile's own: `profile.funcs.length + k`. The frozen tables stay as they were.
 */
interface AddedFunc {
  name: string;
  lib: IndexIntoLibTable;
  kind: FuncKind;
}
const added = new WeakMap<Profile, AddedFunc[]>();

/** How many function indexes exist: the profile's and those the transforms added. */
export function funcCount(profile: Profile): number {
  return profile.funcs.length + (added.get(profile)?.length ?? 0);
}

/** The function standing for a whole library (collapse-library), the same index every time. */
export function libraryFunc(
  profile: Profile,
  libName: string,
  lib: IndexIntoLibTable,
): IndexIntoFuncTable {
  let list = added.get(profile);
  if (!list) added.set(profile, (list = []));
  const at = list.findIndex((f) => f.name === libName);
  if (at >= 0) return profile.funcs.length + at;
  const libKind = profile.libs.kind[lib]!;
  const kernel = libKind === LibKind.KERNEL || libKind === LibKind.MODULE;
  list.push({ name: libName, lib, kind: kernel ? FuncKind.KERNEL : FuncKind.USER });
  return profile.funcs.length + list.length - 1;
}

function addedFunc(profile: Profile, func: IndexIntoFuncTable): AddedFunc | undefined {
  return func >= profile.funcs.length
    ? added.get(profile)?.[func - profile.funcs.length]
    : undefined;
}

/** FuncKind of any function index (the profile's or an added one). */
export function funcKindCode(profile: Profile, func: IndexIntoFuncTable): FuncKind {
  return addedFunc(profile, func)?.kind ?? (profile.funcs.kind[func] as FuncKind);
}

/** Library index of any function index, -1 when it has none. */
export function funcLibIndex(profile: Profile, func: IndexIntoFuncTable): number {
  return addedFunc(profile, func)?.lib ?? profile.funcs.lib[func]!;
}

export function funcKind(profile: Profile, func: IndexIntoFuncTable): CallchainFrame['kind'] {
  return KIND[funcKindCode(profile, func)] ?? 'user';
}

export function funcName(profile: Profile, func: IndexIntoFuncTable): string {
  return addedFunc(profile, func)?.name ?? profile.strings[profile.funcs.name[func]!]!;
}

export function funcLib(profile: Profile, func: IndexIntoFuncTable): string {
  const lib = funcLibIndex(profile, func);
  return lib < 0 ? '[unknown]' : profile.strings[profile.libs.name[lib]!]!;
}

/** Name, library and kind of the functions in `funcs`, for answers that carry func indexes. */
export function funcDictionary(
  profile: Profile,
  funcs: Iterable<IndexIntoFuncTable>,
): Record<number, { name: string; lib: string; kind: CallchainFrame['kind'] }> {
  const out: Record<number, { name: string; lib: string; kind: CallchainFrame['kind'] }> = {};
  for (const f of funcs) {
    if (out[f]) continue;
    out[f] = { name: funcName(profile, f), lib: funcLib(profile, f), kind: funcKind(profile, f) };
  }
  return out;
}

/**
 * Compiles a user's search pattern for linear-time matching (never JavaScript's backtracking
 * RegExp: see shared/policy/search-pattern.ts); a bad pattern is a bad request, not a crash.
 */
export function searchPattern(pattern: string | undefined): SearchPattern | undefined {
  if (!pattern) return undefined;
  try {
    return compileSearchPattern(pattern);
  } catch (e) {
    throw new SessionError('bad-request', `invalid search pattern: ${(e as Error).message}`);
  }
}
