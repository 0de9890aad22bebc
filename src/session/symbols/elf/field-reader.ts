/**
 * Reads fixed-size ELF fields of either byte order from a small buffer that
 * was already bounds-checked against the file (see ByteSource.read).
 */
export class FieldReader {
  private readonly view: DataView;
  constructor(
    bytes: Uint8Array,
    private readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.view.byteLength;
  }

  u8(off: number): number {
    return this.view.getUint8(off);
  }
  u16(off: number): number {
    return this.view.getUint16(off, this.littleEndian);
  }
  u32(off: number): number {
    return this.view.getUint32(off, this.littleEndian);
  }
  u64(off: number): bigint {
    return this.view.getBigUint64(off, this.littleEndian);
  }
  /** An address/offset/size field: 8 bytes in ELF64, 4 in ELF32. */
  word(off: number, is64: boolean): bigint {
    return is64 ? this.u64(off) : BigInt(this.u32(off));
  }
}

/** A file offset or size as a number; values past 2^53 cannot index a real file anyway. */
export function toFileNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}
