/**
 * The address space perf 6.1 gives libunwind (unwind-libunwind-local.c access_mem and
 * access_dso_mem):
 * - a word inside the stack copy [sp, sp + size) is read from it, except that the check is
 *   `addr + 8 >= end`, so the copy's last 8 bytes are never read from it;
 * - any other address is looked up in the thread's maps: no map fails the read; a map whose
 *   file cannot be read, or a short read, gives 0 and "succeeds" (access_dso_mem returns 1,
 *   which libunwind does not treat as an error);
 * - an address whose word would wrap past 2^64 fails.
 */
import { wrap64, type CfiMemory } from '../cfi/cfi-memory.js';
import { readFileBytes, vaddrToFileOffset } from './file-image.js';
import type { FindModule } from './types.js';

const TWO64 = 1n << 64n;

export class ProcessMemory implements CfiMemory {
  readonly name = 'process memory';
  private lastWordAddr = -1n;
  private lastWord: bigint | undefined;

  constructor(
    private readonly sp: bigint,
    private readonly stack: Uint8Array,
    private readonly findModule: FindModule,
  ) {}

  /** access_mem for an 8-byte word at `addr` (any alignment); undefined = the read failed. */
  word(addr: bigint): bigint | undefined {
    if (addr + 8n >= TWO64) return undefined;
    const end = this.sp + BigInt(this.stack.length);
    if (addr < this.sp || addr + 8n >= end) return this.dsoWord(addr);
    const off = Number(addr - this.sp);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(this.stack[off + i]!);
    return v;
  }

  /** libunwind's dwarf_readu8 in remote mode: the aligned word holding the byte. */
  byte(addr: bigint): number | undefined {
    const aligned = addr & ~7n;
    let w: bigint | undefined;
    if (aligned === this.lastWordAddr) w = this.lastWord;
    else {
      w = this.word(aligned);
      this.lastWordAddr = aligned;
      this.lastWord = w;
    }
    if (w === undefined) return undefined;
    return Number((w >> (8n * (addr - aligned))) & 0xffn);
  }

  private dsoWord(addr: bigint): bigint | undefined {
    const mod = this.findModule(addr);
    if (!mod) return undefined;
    if (!mod.elf) return 0n;
    const offset = mod.map
      ? wrap64(addr - mod.map.start + mod.map.pgoff)
      : vaddrToFileOffset(mod.elf, addr - mod.bias);
    if (offset === undefined) return 0n;
    const bytes = readFileBytes(mod.elf, offset, 8);
    if (!bytes) return 0n;
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
    return v;
  }
}
