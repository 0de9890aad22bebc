/**
 * Reading CFI the way libunwind does in perf's remote mode: every byte comes from an address
 * space (perf's access_mem: the sample's stack copy, else the mapped DSO file), and multi-byte
 * values are composed little-endian from single bytes (dwarf_readu16/32/64 in dwarf_i.h).
 */
import {
  DW_EH_PE_aligned,
  DW_EH_PE_datarel,
  DW_EH_PE_funcrel,
  DW_EH_PE_indirect,
  DW_EH_PE_omit,
  DW_EH_PE_pcrel,
  DW_EH_PE_sdata2,
  DW_EH_PE_sdata4,
  DW_EH_PE_sdata8,
  DW_EH_PE_sleb128,
  DW_EH_PE_udata2,
  DW_EH_PE_udata4,
  DW_EH_PE_udata8,
  DW_EH_PE_uleb128,
  DW_EH_PE_absptr,
} from './constants.js';
import { UnwCode, fail } from './unwind-failure.js';

export const U64 = (1n << 64n) - 1n;
export const wrap64 = (v: bigint): bigint => v & U64;

/** An address space CFI is read from. */
export interface CfiMemory {
  /** Shown in failures. */
  readonly name: string;
  /** The byte at `addr`, or undefined when the read fails. */
  byte(addr: bigint): number | undefined;
}

/** A CfiMemory over one buffer mapped at `base` (a section, or bytes in a test). */
export class BufferMemory implements CfiMemory {
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
    private readonly base: bigint = 0n,
  ) {}
  byte(addr: bigint): number | undefined {
    const off = addr - this.base;
    if (off < 0n || off >= BigInt(this.bytes.length)) return undefined;
    return this.bytes[Number(off)];
  }
}

/** The pointer-encoding context (unw_proc_info_t's gp and start_ip). */
export interface EncodingContext {
  gp: bigint;
  startIp: bigint;
}

/** LEB128 runs longer than this are corrupt (a 64-bit value needs 10 bytes). */
const MAX_LEB_BYTES = 16;

/** A moving read position in a CfiMemory. */
export class CfiReader {
  constructor(
    readonly mem: CfiMemory,
    public addr: bigint,
  ) {}

  u8(field: string): number {
    const b = this.mem.byte(this.addr);
    if (b === undefined)
      fail(UnwCode.READ, `${this.mem.name}: cannot read ${field} at 0x${this.addr.toString(16)}`);
    this.addr = wrap64(this.addr + 1n);
    return b;
  }
  u16(field: string): number {
    const lo = this.u8(field);
    return lo | (this.u8(field) << 8);
  }
  u32(field: string): number {
    const lo = this.u16(field);
    return (lo | (this.u16(field) << 16)) >>> 0;
  }
  u64(field: string): bigint {
    const lo = BigInt(this.u32(field));
    return lo | (BigInt(this.u32(field)) << 32n);
  }
  s16(field: string): number {
    return (this.u16(field) << 16) >> 16;
  }
  s32(field: string): number {
    return this.u32(field) | 0;
  }
  s64(field: string): bigint {
    return BigInt.asIntN(64, this.u64(field));
  }

  uleb(field: string): bigint {
    let val = 0n;
    let shift = 0n;
    for (let n = 0; ; n++) {
      if (n >= MAX_LEB_BYTES)
        fail(
          UnwCode.BAD_CFI,
          `${this.mem.name}: ${field}: LEB128 longer than ${MAX_LEB_BYTES} bytes`,
        );
      const b = this.u8(field);
      if (shift < 64n) val |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return wrap64(val);
    }
  }

  /** SLEB128 as a 64-bit two's complement value (libunwind keeps it in an unw_word_t). */
  sleb(field: string): bigint {
    let val = 0n;
    let shift = 0n;
    let b = 0;
    for (let n = 0; ; n++) {
      if (n >= MAX_LEB_BYTES)
        fail(
          UnwCode.BAD_CFI,
          `${this.mem.name}: ${field}: LEB128 longer than ${MAX_LEB_BYTES} bytes`,
        );
      b = this.u8(field);
      if (shift < 64n) val |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    if (shift < 64n && b & 0x40) val |= U64 << shift;
    return wrap64(val);
  }

  /**
   * dwarf_read_encoded_pointer: omit and aligned first, then format, then application; a zero
   * value is always absolute; textrel is unsupported; 'indirect' loads the word it points at.
   * libunwind reads DW_EH_PE_sleb128 as unsigned (kept, since perf inherits it).
   */
  encoded(encoding: number, ctx: EncodingContext, field: string): bigint {
    const initial = this.addr;
    if (encoding === DW_EH_PE_omit) return 0n;
    if (encoding === DW_EH_PE_aligned) {
      this.addr = wrap64((initial + 7n) & ~7n);
      return this.u64(field);
    }
    let val: bigint;
    switch (encoding & 0x0f) {
      case DW_EH_PE_absptr:
        val = this.u64(field);
        break;
      case DW_EH_PE_uleb128:
      case DW_EH_PE_sleb128:
        val = this.uleb(field);
        break;
      case DW_EH_PE_udata2:
        val = BigInt(this.u16(field));
        break;
      case DW_EH_PE_udata4:
        val = BigInt(this.u32(field));
        break;
      case DW_EH_PE_udata8:
        val = this.u64(field);
        break;
      case DW_EH_PE_sdata2:
        val = wrap64(BigInt(this.s16(field)));
        break;
      case DW_EH_PE_sdata4:
        val = wrap64(BigInt(this.s32(field)));
        break;
      case DW_EH_PE_sdata8:
        val = this.u64(field);
        break;
      default:
        return fail(
          UnwCode.BAD_CFI,
          `${this.mem.name}: ${field}: unexpected pointer format 0x${encoding.toString(16)}`,
        );
    }
    if (val === 0n) return 0n;
    switch (encoding & 0x70) {
      case DW_EH_PE_absptr:
        break;
      case DW_EH_PE_pcrel:
        val = wrap64(val + initial);
        break;
      case DW_EH_PE_datarel:
        val = wrap64(val + ctx.gp);
        break;
      case DW_EH_PE_funcrel:
        val = wrap64(val + ctx.startIp);
        break;
      default:
        return fail(
          UnwCode.BAD_CFI,
          `${this.mem.name}: ${field}: unsupported pointer application 0x${encoding.toString(16)}`,
        );
    }
    if (encoding & DW_EH_PE_indirect) {
      const at = new CfiReader(this.mem, val);
      val = at.u64(`${field} (indirect)`);
    }
    return val;
  }
}
