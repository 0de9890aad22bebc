/**
 * DWARF for `perf script` callchains of `--call-graph dwarf` recordings, as perf 6.1 does it:
 * user-stack unwinding with the CFI of the mapped files (libunwind's rules), and the inline
 * frames perf gets from `addr2line -i -f`.
 */
import type { ElfSections } from '../symbols/elf/types.js';
import { addr2lineFunctions } from './info/addr2line.js';
import { unwindUserStack } from './unwind/unwind-user.js';
import type { CodeModule, UserRegs } from './unwind/types.js';

export type { CodeModule, FindModule, UserRegs } from './unwind/types.js';
export { perfLoadBias } from './unwind/file-image.js';
export { DwarfFormatError } from './errors.js';

/**
 * The user-space frames perf 6.1 prints for a sample, innermost first: the sampled IP, then each
 * caller's return address minus 1 (the return address itself for a frame entered through a
 * signal trampoline). `findModule(addr)` answers for any address perf has a map for (code and
 * data maps alike: CFI and stack slots outside the copy are read through them).
 * `maxFrames` is perf's max_stack (127 unless --max-stack), counting the first entry.
 */
export function unwindUser(
  arch: string,
  regs: UserRegs,
  stack: Uint8Array,
  findModule: (pc: bigint) => CodeModule | undefined,
  maxFrames: number,
): bigint[] {
  return unwindUserStack(arch, regs, stack, findModule, maxFrames);
}

/**
 * What `addr2line -i -f -e FILE` prints as function names for `vaddr`, innermost first, the
 * containing function last; undefined when perf 6.1 would show no inline information (the file
 * has no .debug_line, or addr2line answers `??`/`??:0`). Names are raw (C++ still mangled, as
 * addr2line without -C prints them).
 *
 * perf (append_inlines / new_inline_sym) turns every name into a frame line: a name equal to the
 * outer symbol's name (after perf's demangling) is that symbol's normal line; any other name is
 * printed `name+off (inlined)` with the outer symbol's offset.
 */
export function inlineChain(elf: ElfSections, vaddr: bigint): string[] | undefined {
  return addr2lineFunctions(elf, vaddr);
}

/**
 * The functions inlined at `vaddr`, innermost first, without the outermost (containing)
 * function; undefined when there is no debug info (see inlineChain).
 */
export function inlineFrames(elf: ElfSections, vaddr: bigint): string[] | undefined {
  const chain = addr2lineFunctions(elf, vaddr);
  return chain?.slice(0, -1);
}
