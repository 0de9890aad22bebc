/**
 * perf 6.1's find_proc_info callback (unwind-libunwind-local.c): the FDE for an address.
 * 1. The map holding the address and its file (none: -EINVAL, unwinding stops).
 * 2. .eh_frame_hdr: its first 20 bytes read from the file; table and FDEs read from process
 *    memory at `bias + sh_addr` (libunwind dwarf_search_unwind_table, format REMOTE_TABLE).
 * 3. On any failure, .debug_frame of the file (libunwind dwarf_find_debug_frame).
 * The result must cover the address, else "no info" (UNW_ENOINFO).
 */
import { wrap64 } from '../cfi/cfi-memory.js';
import { parseFde, type ProcInfo } from '../cfi/cie-fde.js';
import {
  buildDebugFrameTable,
  lookupDebugFrame,
  type DebugFrameTable,
} from '../cfi/debug-frame.js';
import { lookupTable, parseEhFrameHdr, type EhFrameHdrSpec } from '../cfi/eh-frame-hdr.js';
import { UnwCode, UnwindFailure, fail } from '../cfi/unwind-failure.js';
import { sectionBytes } from '../debug-sections.js';
import type { ElfSections } from '../../symbols/elf/types.js';
import { readFileBytes } from './file-image.js';
import type { ProcessMemory } from './process-memory.js';
import type { FindModule } from './types.js';

const hdrCache = new WeakMap<ElfSections, EhFrameHdrSpec | null>();
const debugFrameCache = new WeakMap<ElfSections, DebugFrameTable | null>();

function ehFrameHdr(elf: ElfSections): EhFrameHdrSpec | undefined {
  let spec = hdrCache.get(elf);
  if (spec === undefined) {
    const s = elf.section('.eh_frame_hdr');
    const head = s && s.offset !== 0 ? readFileBytes(elf, BigInt(s.offset), 20) : undefined;
    spec = (s && head && parseEhFrameHdr(head, s.addr)) || null;
    hdrCache.set(elf, spec);
  }
  return spec ?? undefined;
}

function debugFrame(elf: ElfSections): DebugFrameTable | undefined {
  let table = debugFrameCache.get(elf);
  if (table === undefined) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = sectionBytes(elf, '.debug_frame');
    } catch {
      bytes = undefined;
    }
    table = bytes && bytes.length > 0 ? buildDebugFrameTable(bytes) : null;
    debugFrameCache.set(elf, table);
  }
  return table ?? undefined;
}

export function findProcInfo(ip: bigint, findModule: FindModule, mem: ProcessMemory): ProcInfo {
  const mod = findModule(ip);
  if (!mod?.elf) return fail(UnwCode.NO_TABLE, `no map or no file for 0x${ip.toString(16)}`);
  const elf = mod.elf;
  let firstError: UnwindFailure;
  try {
    return fromEhFrameHdr(ip, elf, mod.bias, mem);
  } catch (e) {
    if (!(e instanceof UnwindFailure)) throw e;
    firstError = e;
  }
  const table = debugFrame(elf);
  if (table) {
    const pi = lookupDebugFrame(table, ip - mod.bias, mod.bias);
    if (!pi || ip < pi.startIp || ip >= pi.endIp)
      fail(UnwCode.NO_INFO, `.debug_frame has no FDE for 0x${ip.toString(16)}`);
    return pi;
  }
  throw firstError;
}

function fromEhFrameHdr(ip: bigint, elf: ElfSections, bias: bigint, mem: ProcessMemory): ProcInfo {
  const spec = ehFrameHdr(elf);
  if (!spec) return fail(UnwCode.NO_TABLE, `no usable .eh_frame_hdr for 0x${ip.toString(16)}`);
  const segbase = wrap64(bias + spec.addr);
  const table = wrap64(segbase + BigInt(spec.tableOffset));
  const relIp = Number(BigInt.asIntN(32, ip - segbase));
  const e = lookupTable(mem, table, spec.fdeCount, relIp);
  if (!e) return fail(UnwCode.NO_INFO, `no .eh_frame_hdr entry for 0x${ip.toString(16)}`);
  const pi = parseFde(mem, wrap64(segbase + BigInt(e.fdeOffset)), false, segbase);
  if (!pi || ip < pi.startIp || ip >= pi.endIp)
    fail(UnwCode.NO_INFO, `no FDE covers 0x${ip.toString(16)}`);
  return pi;
}
