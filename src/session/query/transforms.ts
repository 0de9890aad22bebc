import type { Transform } from '../../shared/contract';
import { checkTransforms as checkTransformList } from '../../shared/view-state/view-state';
import { SessionError } from '../../shared/contract/errors';
import type { Profile } from '../../shared/model';
import { funcCount, funcLibIndex, funcName, libraryFunc } from './func-info';

/**
 * The transforms of Filters.transforms, applied to one stack at a time: a stack is a list of
 * function indexes, root first; a transform returns the new list, or null when it drops the
 * sample. The exact semantics are documented on `Transform` (src/shared/contract).
 */
export type StackTransform = (path: number[]) => number[] | null;

/** Checks transforms a client sent (a URL or a peer may send anything) and returns them. */
export function checkTransforms(list: unknown): Transform[] {
  try {
    return checkTransformList(list);
  } catch (e) {
    throw new SessionError('bad-request', (e as Error).message);
  }
}

/** Marks, by function index, the functions a name means (every function printed that way). */
function funcsNamed(profile: Profile, name: string): Uint8Array {
  const marks = new Uint8Array(funcCount(profile));
  for (let f = 0; f < marks.length; f++) if (funcName(profile, f) === name) marks[f] = 1;
  return marks;
}

/** Compiles a list of transforms into one function over stacks (applied in order). */
export function compileTransforms(
  profile: Profile,
  transforms: readonly Transform[],
): StackTransform {
  // Compiled one after another: collapse-library adds functions that later ones may name.
  const steps = transforms.map((t) => compileTransform(profile, t));
  return (path) => {
    let out: number[] | null = path;
    for (const step of steps) {
      out = step(out);
      if (out === null) return null;
    }
    return out;
  };
}

function compileTransform(profile: Profile, t: Transform): StackTransform {
  switch (t.kind) {
    case 'focus-function': {
      const f = funcsNamed(profile, t.name);
      return (path) => {
        const at = path.findIndex((func) => f[func] === 1);
        return at < 0 ? null : path.slice(at);
      };
    }
    case 'focus-subtree': {
      const steps = t.path.map((name) => funcsNamed(profile, name));
      const n = steps.length;
      if (t.inverted) {
        // Read from the leaf: the stack must end with path reversed; keep root .. path[n-1].
        return (path) => {
          if (path.length < n) return null;
          for (let k = 0; k < n; k++) if (steps[k]![path[path.length - 1 - k]!] !== 1) return null;
          return path.slice(0, path.length - n + 1);
        };
      }
      return (path) => {
        if (path.length < n) return null;
        for (let k = 0; k < n; k++) if (steps[k]![path[k]!] !== 1) return null;
        return path.slice(n - 1);
      };
    }
    case 'merge-function': {
      const f = funcsNamed(profile, t.name);
      return (path) =>
        path.some((func) => f[func] === 1) ? path.filter((func) => f[func] !== 1) : path;
    }
    case 'drop-function': {
      const f = funcsNamed(profile, t.name);
      return (path) => (path.some((func) => f[func] === 1) ? null : path);
    }
    case 'collapse-recursion': {
      const f = funcsNamed(profile, t.name);
      return (path) => {
        const first = path.findIndex((func) => f[func] === 1);
        if (first < 0) return path;
        let last = path.length - 1;
        while (f[path[last]!] !== 1) last--;
        if (last === first) return path;
        // One F remains (the root-most), with the callees of the leaf-most under it.
        return [...path.slice(0, first + 1), ...path.slice(last + 1)];
      };
    }
    case 'collapse-direct-recursion': {
      const f = funcsNamed(profile, t.name);
      return (path) =>
        collapseRuns(
          path,
          (func) => f[func] === 1,
          (run) => run[0]!,
        );
    }
    case 'collapse-library':
      return collapseLibrary(profile, t.name);
    default: {
      const never: never = t;
      throw new SessionError('bad-request', `unknown transform ${JSON.stringify(never)}`);
    }
  }
}

/** Replaces each run of consecutive frames that `inRun` accepts by one frame. */
function collapseRuns(
  path: number[],
  inRun: (func: number) => boolean,
  replacement: (run: number[]) => number,
): number[] {
  if (!path.some(inRun)) return path;
  const out: number[] = [];
  for (let i = 0; i < path.length;) {
    if (!inRun(path[i]!)) {
      out.push(path[i++]!);
      continue;
    }
    let end = i;
    while (end < path.length && inRun(path[end]!)) end++;
    out.push(replacement(path.slice(i, end)));
    i = end;
  }
  return out;
}

function collapseLibrary(profile: Profile, libName: string): StackTransform {
  const { libs, strings } = profile;
  let lib = -1;
  for (let l = 0; l < libs.length && lib < 0; l++) if (strings[libs.name[l]!] === libName) lib = l;
  if (lib < 0) return (path) => path; // no such library in this recording
  const stand = libraryFunc(profile, libName, lib);
  const inLib = new Uint8Array(funcCount(profile));
  for (let f = 0; f < inLib.length; f++) {
    const l = funcLibIndex(profile, f);
    if (l >= 0 && strings[libs.name[l]!] === libName) inLib[f] = 1;
  }
  return (path) =>
    collapseRuns(
      path,
      (func) => inLib[func] === 1,
      () => stand,
    );
}
