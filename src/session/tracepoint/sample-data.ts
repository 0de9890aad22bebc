/**
 * Read access to one sample's RAW payload (the tracepoint record: common fields, then the
 * event's). Out-of-range reads give 0 or nothing instead of reading past the buffer, where
 * libtraceevent would read whatever memory follows.
 */
import type { TraceContext, TracepointField } from './event-format';

/** Resolves a kernel address to the function containing it (perf's --kallsyms map). */
export type KernelFunctionResolver = (
  address: bigint,
) => { readonly name: string; readonly start: bigint } | undefined;

export class SampleData {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** Byte order of the recording (numbers in the record are in the traced machine's order). */
    readonly littleEndian: boolean,
    readonly context: TraceContext,
    readonly resolveFunction?: KernelFunctionResolver,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The record size libtraceevent is given (perf passes the RAW size). */
  get size(): number {
    return this.bytes.length;
  }

  /** tep_read_number(): 1, 2, 4 or 8 bytes in the recording's byte order; 0 for other sizes. */
  readNumber(offset: number, size: number): bigint {
    return this.read(offset, size, this.littleEndian);
  }

  /**
   * A number read the way libtraceevent dereferences a pointer into the record directly
   * (`*(unsigned long long *)p`): in the byte order of the machine running perf, x86-64 here.
   */
  readNative(offset: number, size: number): bigint {
    return this.read(offset, size, true);
  }

  private read(offset: number, size: number, le: boolean): bigint {
    if (offset < 0 || offset + size > this.bytes.length) return 0n;
    switch (size) {
      case 1:
        return BigInt(this.view.getUint8(offset));
      case 2:
        return BigInt(this.view.getUint16(offset, le));
      case 4:
        return BigInt(this.view.getUint32(offset, le));
      case 8:
        return this.view.getBigUint64(offset, le);
      default:
        return 0n;
    }
  }

  byte(offset: number): number {
    return this.bytes[offset] ?? 0;
  }

  /** Bytes [offset, offset + length) clipped to the record, as a byte string. */
  byteString(offset: number, length: number): string {
    const end = Math.min(this.bytes.length, Math.max(offset, offset + length));
    let s = '';
    for (let i = Math.max(0, offset); i < end; i++) s += String.fromCharCode(this.bytes[i] ?? 0);
    return s;
  }

  /** The C string at `offset` (up to NUL, or to `limit` / the end of the record). */
  cString(offset: number, limit = this.bytes.length): string {
    const end = Math.min(limit, this.bytes.length);
    let s = '';
    for (let i = Math.max(0, offset); i < end; i++) {
      const b = this.bytes[i] ?? 0;
      if (b === 0) break;
      s += String.fromCharCode(b);
    }
    return s;
  }

  /**
   * dynamic_offset_field(): where a __data_loc / __rel_loc field's data is. The u32 holds
   * (length << 16 | offset); an old 2-byte field has no length (the rest of the record).
   * Offsets or lengths outside the record become 0, as in libtraceevent.
   */
  dynamicLocation(field: TracepointField): { offset: number; length: number } {
    const size = this.size;
    if (field.offset + field.size > size) return { offset: 0, length: 0 };
    const val = this.readNumber(field.offset, field.size);
    const o = Number(val & 0xffffn);
    const l = field.size === 2 ? size - o : Number((val >> 16n) & 0xffffn);
    let offset = o > size ? 0 : o;
    const length = l < 0 || o + l > size ? 0 : l;
    if (field.isRelative) offset += field.offset + field.size;
    return { offset, length };
  }
}
