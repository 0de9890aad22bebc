/**
 * Positional, bounds-checked reads from a file or an in-memory buffer.
 *
 * ELF files can be huge (a vmlinux with DWARF is hundreds of MB), so files
 * are never read whole: every read names its offset and length and is
 * checked against the file's length first, so a corrupt size field can
 * never make us allocate more than the file holds.
 */
import fs from 'node:fs';

/** A malformed or truncated file: names the file, the byte offset and the field. */
export class ElfFormatError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: byte offset ${offset} (${field}): ${detail}`);
    this.name = 'ElfFormatError';
  }
}

export interface ByteSource {
  /** Shown in errors: the path, or a description for embedded data. */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws ElfFormatError if they are not all in the source. */
  read(offset: number, length: number, field: string): Uint8Array;
  /** Release the file descriptor (it is reopened if read again). */
  close(): void;
}

export function checkRange(
  src: { name: string; size: number },
  offset: number,
  length: number,
  field: string,
): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new ElfFormatError(src.name, offset, field, `invalid offset`);
  }
  if (!Number.isSafeInteger(length) || length < 0 || offset + length > src.size) {
    throw new ElfFormatError(
      src.name,
      offset,
      field,
      `${length} bytes requested but the file is ${src.size} bytes long`,
    );
  }
}

export class FileByteSource implements ByteSource {
  private fd: number | undefined;
  readonly size: number;

  /** Throws the fs error (ENOENT, EACCES, ...) if the file cannot be opened. */
  constructor(readonly name: string) {
    this.fd = fs.openSync(name, 'r');
    try {
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  read(offset: number, length: number, field: string): Uint8Array {
    checkRange(this, offset, length, field);
    const buf = new Uint8Array(length);
    this.fd ??= fs.openSync(this.name, 'r');
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, buf, done, length - done, offset + done);
      if (n <= 0)
        throw new ElfFormatError(this.name, offset + done, field, 'unexpected end of file');
      done += n;
    }
    return buf;
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

export class MemoryByteSource implements ByteSource {
  readonly size: number;
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {
    this.size = bytes.length;
  }

  read(offset: number, length: number, field: string): Uint8Array {
    checkRange(this, offset, length, field);
    return this.bytes.subarray(offset, offset + length);
  }

  close(): void {}
}
