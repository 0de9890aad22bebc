import { ContextNum } from '../perf-data/constants';
import { wordAt, wordsLength, type U64Words } from '../perf-data/u64';
import { CpuMode, type Location, type Machine, type Thread } from './machine';

/** perf script's default limit (scripting_max_stack = PERF_MAX_STACK_DEPTH). */
export const MAX_STACK = 127;

/** One callchain entry that is an address (markers removed), innermost first. */
export interface ChainFrame {
  /** Index of the entry in the callchain words (for its exact value); -1 for unwound frames. */
  index: number;
  /** The address in the signed encoding. */
  ip: number;
  cpumode: number;
  loc: Location | undefined;
  /** A function inlined at this address (DWARF): perf prints it as its own `(inlined)` line. */
  inlineName?: string;
}

/**
 * perf's thread__resolve_callchain_sample for callee order (the default): context markers set the
 * cpumode of the entries after them (PERF_CONTEXT_USER_DEFERRED counts as USER), every other entry
 * is looked up in the maps of that mode. An unknown marker means a corrupt chain: perf discards
 * the whole chain. At most `maxStack` addresses are kept.
 */
export function resolveCallchain(
  machine: Machine,
  thread: Thread,
  chain: U64Words,
  maxStack = MAX_STACK,
): ChainFrame[] {
  const frames: ChainFrame[] = [];
  const kept = walkCallchain(chain, maxStack, (index, ip, cpumode) => {
    frames.push({ index, ip, cpumode, loc: machine.findMap(thread, cpumode, ip) });
  });
  return kept ? frames : [];
}

/**
 * The addresses resolveCallchain() keeps, innermost first, each with its entry's index and the
 * cpumode its markers set, to `visit`; false when an unknown marker discards the chain (after
 * the addresses before it were visited).
 */
export function walkCallchain(
  chain: U64Words,
  maxStack: number,
  visit: (index: number, ip: number, cpumode: number) => void,
): boolean {
  let cpumode: number = CpuMode.USER;
  const nr = wordsLength(chain);
  for (let i = 0, kept = 0; i < nr && kept < maxStack; i++) {
    const ip = wordAt(chain, i);
    if (ip >= ContextNum.MAX && ip < 0) {
      switch (ip) {
        case ContextNum.HV:
          cpumode = CpuMode.HYPERVISOR;
          break;
        case ContextNum.KERNEL:
          cpumode = CpuMode.KERNEL;
          break;
        case ContextNum.USER:
        case ContextNum.USER_DEFERRED:
          cpumode = CpuMode.USER;
          break;
        default:
          return false;
      }
      continue;
    }
    visit(i, ip, cpumode);
    kept++;
  }
  return true;
}
