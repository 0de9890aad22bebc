import { FuncKind, type EventInfo, type Profile } from '../../shared/model';
import { funcKindCode, funcLibIndex, funcName } from '../query/func-info';

/**
 * A function's name in an export: its symbol, or for an unresolved address its library as
 * stackcollapse-perf.pl writes it (`[libc.so.6]`, `[unknown]` without one), so the exports'
 * functions are the folded export's.
 */
export function exportFrameName(profile: Profile, func: number): string {
  if (func >= profile.funcs.length || !profile.funcs.unresolved[func]) {
    return funcName(profile, func);
  }
  const lib = funcLibIndex(profile, func);
  if (lib < 0) return '[unknown]';
  const path = profile.strings[profile.libs.path[lib]!]!;
  return `[${path.slice(path.lastIndexOf('/') + 1)}]`;
}

/**
 * Whether a frame of `func` is exported under the frames filter. Transformed stacks were built
 * for the filter already; the profile's frame stacks hold every frame.
 */
export function keepsFunc(
  profile: Profile,
  func: number,
  frames: 'all' | 'user' | 'kernel',
  transformed: boolean,
): boolean {
  if (frames === 'all' || transformed) return true;
  const kernel = funcKindCode(profile, func) === FuncKind.KERNEL;
  return frames === 'kernel' ? kernel : !kernel;
}

/** The weight's pprof type and unit: time for cpu-clock and task-clock, a count otherwise. */
export function weightUnit(event: EventInfo | undefined): { type: string; unit: string } {
  return event?.periodIsTime
    ? { type: 'cpu', unit: 'nanoseconds' }
    : { type: 'events', unit: 'count' };
}
