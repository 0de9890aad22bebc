/** The inputs of a user-stack unwind, as the callchain code hands them over. */
import type { ElfSections } from '../../symbols/elf/types.js';

/** A sample's PERF_SAMPLE_REGS_USER. */
export interface UserRegs {
  /** PERF_SAMPLE_REGS_ABI_NONE = 0, _32 = 1, _64 = 2. */
  abi: number;
  /** The attr's sample_regs_user. */
  mask: bigint;
  /** [lo, hi] u32 pairs, one per set mask bit, in increasing bit order. */
  values: Uint32Array;
}

/** What perf knows about the memory at an address: the map there and its file. */
export interface CodeModule {
  /**
   * The mapped file; undefined where perf has a map but no readable file ([stack], //anon,
   * [heap], [vdso], a DSO missing from symfs). Reads there "succeed" with 0, as in perf.
   */
  elf: ElfSections | undefined;
  /**
   * ip - bias = address in the ELF's vaddr space. perf 6.1 (read_unwind_spec_eh_frame) takes the
   * lowest start of all the thread's maps of this DSO minus the first PT_LOAD p_vaddr rounded
   * down to a page; see `perfLoadBias`.
   */
  bias: bigint;
  /**
   * The map holding the address: perf reads file bytes at `addr - start + pgoff`. When absent the
   * byte is found through the PT_LOAD segments at `addr - bias`.
   */
  map?: { start: bigint; pgoff: bigint };
}

export type FindModule = (addr: bigint) => CodeModule | undefined;
