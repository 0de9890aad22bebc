import { TracingDataError } from './errors';

/**
 * A bounds-checked reader over the tracing data blob, in the blob's byte order. Every read names
 * its field, and errors give the absolute offset (`base` is the blob's offset in the file).
 */
export class TracingDataCursor {
  pos = 0;
  private readonly view: DataView;
  littleEndian = true;

  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  absolute(pos = this.pos): number {
    return this.base + pos;
  }

  fail(message: string, field: string, pos = this.pos): never {
    throw new TracingDataError(message, this.absolute(pos), field);
  }

  need(n: number, field: string): void {
    if (n > this.remaining) {
      this.fail(`tracing data too short: ${field} needs ${n} bytes, ${this.remaining} left`, field);
    }
  }

  /** `n` bytes as a view into the blob (nothing is copied). */
  take(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  /** A u64 size: refused when it is larger than what is left of the blob. */
  u64Size(field: string): number {
    this.need(8, field);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    if (v > BigInt(this.remaining - 8)) {
      this.fail(
        `${field} is ${v} bytes, only ${this.remaining - 8} left in the tracing data`,
        field,
      );
    }
    this.pos += 8;
    return Number(v);
  }

  /** A u32 size, refused when larger than what is left. */
  u32Size(field: string): number {
    const start = this.pos;
    const v = this.u32(field);
    if (v > this.remaining) {
      this.fail(
        `${field} is ${v} bytes, only ${this.remaining} left in the tracing data`,
        field,
        start,
      );
    }
    return v;
  }

  /** A NUL-terminated string (as a byte string), which must end inside the blob. */
  cString(field: string): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) this.fail(`${field} has no terminating NUL`, field);
    const s = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
}

/** Bytes as a byte string: one char per byte. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return s;
}
