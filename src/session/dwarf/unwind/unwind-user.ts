/**
 * perf 6.1's DWARF unwinding of one sample (unwind-libunwind-local.c get_entries; Debian's perf
 * is built with libunwind, which the build then prefers over libdw):
 * - the first entry is the sampled ip as is;
 * - each successful unw_step adds the new ip, minus 1 unless the new frame is a signal
 *   trampoline ("activation" frames keep their ip, callers point into their call instruction);
 * - stepping stops at the first step that does not return > 0, or after `maxFrames` entries
 *   (perf's max_stack, 127 by default, counting the first entry);
 * - entries equal to 0 are dropped when printing (perf's `ips[j] ? entry(...) : 0`);
 * - no user registers (ABI none) or an empty stack copy: no user frames at all.
 */
import { wrap64 } from '../cfi/cfi-memory.js';
import { UnwindFailure } from '../cfi/unwind-failure.js';
import { archByName } from './arch-regs.js';
import { Cursor } from './cursor.js';
import { ProcessMemory } from './process-memory.js';
import { perfRegValue } from './sample-regs.js';
import { isSignalFrame, unwStep } from './step.js';
import type { FindModule, UserRegs } from './types.js';

export function unwindUserStack(
  archName: string,
  regs: UserRegs,
  stack: Uint8Array,
  findModule: FindModule,
  maxFrames: number,
): bigint[] {
  const arch = archByName(archName);
  if (!arch || regs.abi === 0 || stack.length === 0 || maxFrames <= 0) return [];
  const ip0 = perfRegValue(regs, arch.perfIp);
  if (ip0 === undefined) return [];
  const ips: bigint[] = [ip0];
  const sp = perfRegValue(regs, arch.perfSp);
  if (maxFrames > 1 && sp !== undefined) {
    const mem = new ProcessMemory(sp, stack, findModule);
    const c = new Cursor(arch, regs, mem, findModule);
    let ok = true;
    try {
      c.init();
    } catch (e) {
      if (!(e instanceof UnwindFailure)) throw e;
      ok = false;
    }
    // Each step reads only bounded memory; maxFrames bounds the number of steps.
    while (ok && unwStep(c) > 0 && ips.length < maxFrames) {
      ips.push(isSignalFrame(c) ? c.ip : wrap64(c.ip - 1n));
    }
  }
  return ips.filter((ip) => ip !== 0n);
}
