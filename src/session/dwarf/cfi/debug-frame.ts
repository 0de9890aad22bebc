/**
 * A sorted table of the FDEs in .debug_frame (libunwind's dwarf_find_debug_frame builds one by
 * walking every entry). perf falls back to it when a DSO has no usable .eh_frame_hdr.
 *
 * Entries: length u32 (0xffffffff: u64 follows), CIE_id/CIE_pointer u32 (0xffffffff = CIE),
 * relative to the start of .debug_frame. Addresses in FDEs are link-time addresses.
 */
import { BufferMemory, wrap64 } from './cfi-memory.js';
import { parseFde, type ProcInfo } from './cie-fde.js';
import { UnwindFailure } from './unwind-failure.js';

export interface DebugFrameTable {
  mem: BufferMemory;
  /** Sorted by start. */
  entries: { start: bigint; end: bigint; offset: bigint }[];
}

/** A bound on entries (a corrupt section must not make us build a huge table). */
const MAX_ENTRIES = 4_000_000;

export function buildDebugFrameTable(bytes: Uint8Array): DebugFrameTable {
  const mem = new BufferMemory('.debug_frame', bytes, 0n);
  const entries: DebugFrameTable['entries'] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + 4 <= bytes.length && entries.length < MAX_ENTRIES) {
    const itemStart = pos;
    let len = view.getUint32(pos, true);
    pos += 4;
    if (len === 0) break;
    let isCie: boolean;
    if (len !== 0xffffffff) {
      if (pos + 4 > bytes.length) break;
      isCie = view.getUint32(pos, true) === 0xffffffff;
    } else {
      if (pos + 16 > bytes.length) break;
      const big = view.getBigUint64(pos, true);
      if (big > BigInt(bytes.length)) break;
      len = Number(big);
      pos += 8;
      isCie = view.getBigUint64(pos, true) === 0xffffffffffffffffn;
    }
    const itemEnd = pos + len;
    if (!isCie) {
      try {
        const pi = parseFde(mem, BigInt(itemStart), true, 0n);
        if (pi) entries.push({ start: pi.startIp, end: pi.endIp, offset: BigInt(itemStart) });
      } catch (e) {
        if (!(e instanceof UnwindFailure)) throw e;
      }
    }
    if (itemEnd <= itemStart || itemEnd > bytes.length) break;
    pos = itemEnd;
  }
  entries.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { mem, entries };
}

/** The FDE for a link-time address, with its addresses moved by `bias`. */
export function lookupDebugFrame(
  table: DebugFrameTable,
  vaddr: bigint,
  bias: bigint,
): ProcInfo | undefined {
  let lo = 0;
  let hi = table.entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (vaddr < table.entries[mid]!.start) hi = mid;
    else lo = mid + 1;
  }
  const e = table.entries[hi - 1];
  if (!e) return undefined;
  const pi = parseFde(table.mem, e.offset, true, 0n);
  if (!pi) return undefined;
  const moved = { ...pi, startIp: wrap64(pi.startIp + bias), endIp: wrap64(pi.endIp + bias) };
  return moved;
}
