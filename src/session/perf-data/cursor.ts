import { PerfDataError } from './errors';
import { signedFromHalves } from './u64';

/**
 * A bounds-checked reader over a byte range, in the file's byte order. Offsets in errors are
 * absolute (`base` is the file offset of byte 0 of `view`).
 */
export class Cursor {
  pos: number;
  /** The halves of the last u64 readHalves() read. */
  lo = 0;
  hi = 0;

  constructor(
    public view: DataView,
    public le: boolean,
    public base: number,
    start = 0,
    /** One past the last readable byte (relative to `view`). */
    public end = view.byteLength,
    /** Names what is being read, for errors ("MMAP2 record"). */
    public what = 'record',
  ) {
    this.pos = start;
  }

  /**
   * Points the cursor at another range: the reader's record loop reuses one cursor for millions
   * of records instead of allocating one each (nothing a record parse returns keeps its cursor).
   */
  reset(view: DataView, le: boolean, base: number, start: number, end: number, what: string): this {
    this.view = view;
    this.le = le;
    this.base = base;
    this.pos = start;
    this.end = end;
    this.what = what;
    return this;
  }

  static of(bytes: Uint8Array, le: boolean, base: number, what?: string): Cursor {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new Cursor(view, le, base, 0, bytes.byteLength, what);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  absolute(pos = this.pos): number {
    return this.base + pos;
  }

  need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new PerfDataError(
        `${this.what} too short: ${field} needs ${n} bytes, ${this.end - this.pos} left`,
        this.absolute(),
        field,
      );
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.pos, this.le);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos, this.le);
    this.pos += 4;
    return v;
  }

  i32(field: string): number {
    this.need(4, field);
    const v = this.view.getInt32(this.pos, this.le);
    this.pos += 4;
    return v;
  }

  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.pos, this.le);
    this.pos += 8;
    return v;
  }

  /** A u64 known to be a count or size: returned as a number, refused above 2^53. */
  u64Count(field: string): number {
    this.readHalves(field);
    const { lo, hi } = this;
    if (hi >= 0x200000) {
      throw new PerfDataError(
        `${field} is ${hi * 2 ** 32 + lo}, more than any real value`,
        this.absolute(this.pos - 8),
        field,
      );
    }
    return hi * 4294967296 + lo;
  }

  /** A u64 in the signed address encoding (see u64.ts). */
  u64Signed(field: string): number {
    this.readHalves(field);
    return signedFromHalves(this.lo, this.hi);
  }

  /** The [lo, hi] halves of a u64. */
  halves(field: string): [number, number] {
    this.readHalves(field);
    return [this.lo, this.hi];
  }

  /**
   * Reads a u64 into `lo` and `hi`: no pair array per value, for the per-sample fields (an array
   * each was a tenth of the load worker's time with its garbage collection).
   */
  readHalves(field: string): void {
    this.need(8, field);
    const v = this.view;
    const p = this.pos;
    if (this.le) {
      this.lo = v.getUint32(p, true);
      this.hi = v.getUint32(p + 4, true);
    } else {
      this.hi = v.getUint32(p, false);
      this.lo = v.getUint32(p + 4, false);
    }
    this.pos = p + 8;
  }

  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = new Uint8Array(this.view.buffer, this.view.byteOffset + this.pos, n);
    this.pos += n;
    return out;
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }

  /** A NUL-terminated string within the next `n` bytes (perf pads names to 8 or 64 bytes). */
  fixedString(n: number, field: string): string {
    const raw = this.bytes(n, field);
    const nul = raw.indexOf(0);
    return textDecoder.decode(nul < 0 ? raw : raw.subarray(0, nul));
  }

  /** A NUL-terminated string running to the end of the cursor at most. */
  cString(field: string): string {
    const raw = new Uint8Array(
      this.view.buffer,
      this.view.byteOffset + this.pos,
      this.end - this.pos,
    );
    const nul = raw.indexOf(0);
    if (nul < 0) {
      throw new PerfDataError(`${field} is not NUL-terminated`, this.absolute(), field);
    }
    this.pos += nul + 1;
    return textDecoder.decode(raw.subarray(0, nul));
  }
}

export const textDecoder = new TextDecoder('utf-8', { fatal: false });
