import type { CallchainFrame } from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import { FuncKind, type IndexIntoFuncTable, type Profile } from '../../shared/model';
import { compileSearchPattern, type SearchPattern } from '../../shared/policy/search-pattern';

const KIND: Record<number, CallchainFrame['kind']> = {
  [FuncKind.USER]: 'user',
  [FuncKind.KERNEL]: 'kernel',
  [FuncKind.UNMERGED]: 'unmerged',
  [FuncKind.DEFERRED_COOKIE]: 'deferred',
};

export function funcKind(profile: Profile, func: IndexIntoFuncTable): CallchainFrame['kind'] {
  return KIND[profile.funcs.kind[func]!] ?? 'user';
}

export function funcName(profile: Profile, func: IndexIntoFuncTable): string {
  return profile.strings[profile.funcs.name[func]!]!;
}

export function funcLib(profile: Profile, func: IndexIntoFuncTable): string {
  const lib = profile.funcs.lib[func]!;
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
