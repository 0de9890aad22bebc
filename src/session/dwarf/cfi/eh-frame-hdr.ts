/**
 * .eh_frame_hdr as perf 6.1 and libunwind use it.
 *
 *   struct eh_frame_hdr {
 *     u8 version; u8 eh_frame_ptr_enc; u8 fde_count_enc; u8 table_enc;
 *     encoded eh_frame_ptr; encoded fde_count;
 *     struct { s32 start_ip_offset; s32 fde_offset; } binary_search_table[fde_count];
 *   };
 *
 * perf (unwind-libunwind-local.c unwind_spec_ehframe) reads the first 20 bytes from the file,
 * skips eh_frame_ptr and decodes fde_count with its own small decoder (absptr/pcrel, 4/8-byte
 * formats only). libunwind then assumes the table is datarel|sdata4 pairs relative to the
 * header's address, whatever table_enc says, and binary-searches it in process memory.
 */
import type { CfiMemory } from './cfi-memory.js';
import { CfiReader } from './cfi-memory.js';

export interface EhFrameHdrSpec {
  /** sh_addr of .eh_frame_hdr (its link-time address). */
  addr: bigint;
  fdeCount: bigint;
  /** Offset of binary_search_table from the header's start. */
  tableOffset: number;
}

/**
 * perf's dw_read_encoded_value over the 16 bytes after the 4-byte header. Returns undefined for
 * the encodings perf rejects (-EINVAL: unwinding stops at this DSO).
 */
export function parseEhFrameHdr(head: Uint8Array, addr: bigint): EhFrameHdrSpec | undefined {
  if (head.length < 20) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let pos = 4;
  const read = (enc: number): bigint | undefined => {
    if (enc === 0xff) return 0n; // DW_EH_PE_omit: nothing consumed
    if (enc === 0x00) {
      if (pos + 8 > 20) return undefined;
      const v = view.getBigUint64(pos, true);
      pos += 8;
      return v;
    }
    const appl = enc & 0x70;
    if (appl !== 0x00 && appl !== 0x10) return undefined; // absptr or pcrel only
    // pcrel adds the address of perf's stack buffer: meaningless, and only eh_frame_ptr uses it.
    let format = enc & 0x0f;
    if ((enc & 0x07) === 0) format = 0x03; // udata4
    let size: number;
    let v: bigint;
    switch (format) {
      case 0x03: // udata4
      case 0x0b: // sdata4
        size = 4;
        if (pos + size > 20) return undefined;
        v = format === 0x03 ? BigInt(view.getUint32(pos, true)) : BigInt(view.getInt32(pos, true));
        break;
      case 0x04: // udata8
      case 0x0c: // sdata8
        size = 8;
        if (pos + size > 20) return undefined;
        v = view.getBigUint64(pos, true);
        break;
      default:
        return undefined;
    }
    pos += size;
    return v;
  };
  if (read(head[1]!) === undefined) return undefined;
  const fdeCount = read(head[2]!);
  if (fdeCount === undefined) return undefined;
  return { addr, fdeCount: BigInt.asUintN(64, fdeCount), tableOffset: pos };
}

export interface TableEntry {
  startIpOffset: number;
  fdeOffset: number;
}

/**
 * libunwind's remote_lookup: the last entry whose start_ip_offset <= relIp (both int32), read
 * from process memory. Undefined when relIp is below the first entry.
 */
export function lookupTable(
  mem: CfiMemory,
  table: bigint,
  fdeCount: bigint,
  relIp: number,
): TableEntry | undefined {
  let lo = 0n;
  let hi = fdeCount;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    const start = new CfiReader(mem, table + mid * 8n).s32('eh_frame_hdr table start_ip_offset');
    if (relIp < start) hi = mid;
    else lo = mid + 1n;
  }
  if (hi <= 0n) return undefined;
  const r = new CfiReader(mem, table + (hi - 1n) * 8n);
  const startIpOffset = r.s32('eh_frame_hdr table start_ip_offset');
  const fdeOffset = r.s32('eh_frame_hdr table fde_offset');
  r.s32('eh_frame_hdr table next start_ip_offset'); // libunwind reads it too (last_ip); may fail
  return { startIpOffset, fdeOffset };
}
