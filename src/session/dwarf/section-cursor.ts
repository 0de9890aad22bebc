/**
 * Bounds-checked little/big-endian reads from one section's bytes. Every read names the field it
 * reads, so a truncated or corrupt section fails with section, offset and field.
 */
import { DwarfFormatError } from './errors.js';

const U64_MASK = (1n << 64n) - 1n;

export class SectionCursor {
  private readonly view: DataView;
  /** Current read position (byte offset in the section). */
  pos: number;

  constructor(
    readonly section: string,
    readonly bytes: Uint8Array,
    readonly littleEndian = true,
    start = 0,
    /** Exclusive end of the readable window (defaults to the section's end). */
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  fail(field: string, detail: string, at = this.pos): never {
    throw new DwarfFormatError(this.section, at, field, detail);
  }

  private need(n: number, field: string): number {
    const at = this.pos;
    if (at < 0 || n < 0 || at + n > this.end)
      this.fail(field, `needs ${n} bytes, window ends at 0x${this.end.toString(16)}`);
    this.pos = at + n;
    return at;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(field: string): number {
    return this.view.getUint8(this.need(1, field));
  }
  u16(field: string): number {
    return this.view.getUint16(this.need(2, field), this.littleEndian);
  }
  u24(field: string): number {
    const at = this.need(3, field);
    const b0 = this.bytes[at]!;
    const b1 = this.bytes[at + 1]!;
    const b2 = this.bytes[at + 2]!;
    return this.littleEndian ? b0 | (b1 << 8) | (b2 << 16) : (b0 << 16) | (b1 << 8) | b2;
  }
  u32(field: string): number {
    return this.view.getUint32(this.need(4, field), this.littleEndian);
  }
  i32(field: string): number {
    return this.view.getInt32(this.need(4, field), this.littleEndian);
  }
  u64(field: string): bigint {
    return this.view.getBigUint64(this.need(8, field), this.littleEndian);
  }
  /** An unsigned value of `size` bytes (1, 2, 4 or 8). */
  uN(size: number, field: string): bigint {
    switch (size) {
      case 1:
        return BigInt(this.u8(field));
      case 2:
        return BigInt(this.u16(field));
      case 4:
        return BigInt(this.u32(field));
      case 8:
        return this.u64(field);
      default:
        return this.fail(field, `unsupported size ${size}`);
    }
  }

  /** ULEB128, wrapped to 64 bits like the C readers (bounded by the window). */
  uleb(field: string): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8(field);
      if (shift < 64n) result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return result & U64_MASK;
    }
  }

  /** SLEB128 as a signed bigint. */
  sleb(field: string): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.u8(field);
      if (shift < 64n) result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (shift < 64n && b & 0x40) result |= -1n << shift;
    return BigInt.asIntN(64, result);
  }

  /** A ULEB128 that must fit a JS number (sizes, indexes). */
  ulebNumber(field: string): number {
    const at = this.pos;
    const v = this.uleb(field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      this.fail(field, `value 0x${v.toString(16)} too large`, at);
    return Number(v);
  }

  /** A NUL-terminated string (latin1/utf-8), bounded by the window. */
  cstr(field: string): string {
    const start = this.pos;
    let i = start;
    while (i < this.end && this.bytes[i] !== 0) i++;
    if (i >= this.end) this.fail(field, 'string runs past the end of the window', start);
    this.pos = i + 1;
    return decodeName(this.bytes.subarray(start, i));
  }

  skip(n: number, field: string): void {
    this.need(n, field);
  }
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

export function decodeName(bytes: Uint8Array): string {
  for (const b of bytes) if (b >= 0x80) return utf8.decode(bytes);
  return latin1.decode(bytes);
}

/** The NUL-terminated string at `offset` of a string section, or undefined when outside it. */
export function stringAt(bytes: Uint8Array, offset: number): string | undefined {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= bytes.length) return undefined;
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  if (end >= bytes.length) return undefined;
  return decodeName(bytes.subarray(offset, end));
}
