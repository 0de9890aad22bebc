import { read, readSync } from 'node:fs';

/** Bytes read at a time. */
export const CHUNK_SIZE = 4 << 20;
/**
 * Bytes pulled into the cache ahead of the parse at a time (see ByteWindow.warm): a few times
 * smaller than a core's L2, so they are still there when the parse reaches them.
 */
const WARM_BYTES = 64 << 10;
/** Room in front of a read-ahead chunk for the unread tail of the last one (a record < 64 KB). */
const TAIL_ROOM = 64 << 10;
/** A pooled buffer holds a chunk plus the unread tail of the last one. */
export const POOLED_BUFFER_SIZE = CHUNK_SIZE + TAIL_ROOM;

/** Where bytes come from: a file range read with positional reads, or a pipe read in sequence. */
export interface ByteSource {
  /** Reads up to `length` bytes into `into` at `at`; returns 0 at the end. */
  read(into: Uint8Array, at: number, length: number): number;
  /** Absolute offset of the next byte `read` returns. */
  readonly position: number;
  /** Total bytes this source will deliver, when known (for progress). */
  readonly length: number | undefined;
  /**
   * Reads the bytes at `position` on libuv's thread pool, without moving on (a file only):
   * the next chunk comes in while the current one is parsed. `advance` then moves past them.
   */
  readAhead?(into: Uint8Array, at: number, length: number): Promise<number>;
  advance?(n: number): void;
}

export class FileRangeSource implements ByteSource {
  position: number;
  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
  ) {
    this.position = start;
  }
  get length(): number {
    return this.end;
  }
  read(into: Uint8Array, at: number, length: number): number {
    const n = Math.min(length, this.end - this.position);
    if (n <= 0) return 0;
    const got = readSync(this.fd, into, at, n, this.position);
    this.position += got;
    return got;
  }
  readAhead(into: Uint8Array, at: number, length: number): Promise<number> {
    const n = Math.min(length, this.end - this.position);
    if (n <= 0) return Promise.resolve(0);
    return new Promise((resolve, reject) =>
      read(this.fd, into, at, n, this.position, (e, got) => (e ? reject(e) : resolve(got))),
    );
  }
  advance(n: number): void {
    this.position += n;
  }
}

/** A non-seekable stream (stdin, a FIFO). */
export class SequentialSource implements ByteSource {
  length = undefined;
  constructor(
    private readonly fd: number,
    public position: number,
    /** Bytes already read while probing the header, delivered first. */
    private pending: Uint8Array = new Uint8Array(0),
  ) {}
  read(into: Uint8Array, at: number, length: number): number {
    if (this.pending.length > 0) {
      const n = Math.min(length, this.pending.length);
      into.set(this.pending.subarray(0, n), at);
      this.pending = this.pending.subarray(n);
      this.position += n;
      return n;
    }
    for (;;) {
      try {
        const got = readSync(this.fd, into, at, length, null);
        this.position += got;
        return got;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((e as NodeJS.ErrnoException).code === 'EOF') return 0;
        throw e;
      }
    }
  }
}

/**
 * Read buffers to reuse. Fresh memory costs a page fault per 4 KB on first touch, which for a
 * 4 MB chunk takes longer than reading it (here 0.65 s against 0.05 s for a 421 MB file).
 */
export class ChunkPool {
  private readonly free: Uint8Array<ArrayBuffer>[] = [];
  constructor(readonly size: number) {}

  take(): Uint8Array<ArrayBuffer> {
    return this.free.pop() ?? new Uint8Array(this.size);
  }

  give(buf: Uint8Array<ArrayBuffer>): void {
    this.free.push(buf);
  }
}

/**
 * A pooled read buffer and the queued records parsed from it: it goes back to the pool when the
 * window has moved on and the last of them was delivered.
 */
export class ChunkLease {
  /** Queued records parsed from it, not yet delivered. */
  private refs = 0;
  /** The window has moved on to another buffer. */
  private retired = false;
  /** Something keeps a view of it beyond delivery (a header record's data): never reused. */
  pinned = false;

  /** Views of the buffer for records read in place at delivery (made at the first one). */
  private dataView: DataView | undefined;
  private u32: Uint32Array | undefined;
  private f64: Float64Array | undefined;

  /** `pool`: where the buffer goes back (none: a copy of records of its own, left to the GC). */
  constructor(
    private readonly buf: Uint8Array<ArrayBuffer>,
    private readonly pool?: ChunkPool,
  ) {}

  get view(): DataView {
    return (this.dataView ??= new DataView(this.buf.buffer, this.buf.byteOffset));
  }

  /** The buffer as u32s from its start (pooled buffers start at a multiple of 8 bytes). */
  get words(): Uint32Array {
    return (this.u32 ??= new Uint32Array(
      this.buf.buffer,
      this.buf.byteOffset,
      this.buf.length >>> 2,
    ));
  }

  /** The buffer as float64s from its start (two words at a time: ChainInterner's comparisons). */
  get wide(): Float64Array {
    return (this.f64 ??= new Float64Array(
      this.buf.buffer,
      this.buf.byteOffset,
      this.buf.length >>> 3,
    ));
  }

  hold(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs === 0 && this.retired) this.recycle();
  }

  retire(): void {
    this.retired = true;
    if (this.refs === 0) this.recycle();
  }

  private recycle(): void {
    if (!this.pinned) this.pool?.give(this.buf);
  }
}

/**
 * A readable window over a source. Records are parsed in place; when more bytes are needed the
 * unread tail is copied into another buffer (never overwritten in place, because parsed records
 * still reference the old buffer's bytes). With a pool, buffers come from it and go back through
 * their lease; without one, each is fresh and left to the garbage collector.
 */
export class ByteWindow {
  buf = new Uint8Array(0);
  view = new DataView(this.buf.buffer);
  /** Absolute offset of buf[0]. */
  base = 0;
  /** Valid bytes in buf. */
  len = 0;
  /** Read position within buf. */
  pos = 0;
  private ended = false;
  /** The current buffer's lease when it came from the pool. */
  lease: ChunkLease | undefined;
  /** The chunk after the buffered bytes, being read on the thread pool (see readAhead()). */
  private ahead: ReadAhead | undefined;
  /** Absolute offset up to which warm() pulled the bytes into the cache. */
  warmUntil = 0;
  /** What warm() read, kept so the reads are not optimised away. */
  private touched = 0;

  constructor(
    private readonly source: ByteSource | undefined,
    private readonly chunkSize = CHUNK_SIZE,
    startOffset = source?.position ?? 0,
    private readonly pool?: ChunkPool,
  ) {
    this.base = startOffset;
  }

  get available(): number {
    return this.len - this.pos;
  }

  get offset(): number {
    return this.base + this.pos;
  }

  /** True when the source is exhausted and every byte was consumed. */
  get done(): boolean {
    return this.ended && this.pos >= this.len;
  }

  /**
   * True while the next chunk is being read ahead: a parser that runs out of bytes should return
   * to its loop and `await refill()` rather than call ensure(), which would read them again.
   */
  get readingAhead(): boolean {
    return this.ahead !== undefined;
  }

  /**
   * Starts reading the chunk after the buffered bytes on the thread pool, so that reading and
   * parsing overlap (a file read through a pool only; else nothing happens).
   */
  readAhead(): void {
    const source = this.source;
    if (this.ahead || this.ended || !this.pool || !source?.readAhead) return;
    const buf = this.pool.take();
    const length = Math.min(this.chunkSize, buf.length - TAIL_ROOM);
    // settled either way, so a read nobody waits for (the reader stopped) is never unhandled
    const read = source.readAhead(buf, TAIL_ROOM, length).then(
      (got) => ({ got }),
      (error: unknown) => ({ error }),
    );
    this.ahead = { buf, position: source.position, read };
  }

  /**
   * Waits for the chunk read ahead and makes it the buffer, the unread tail copied in front of
   * it. Nothing happens when nothing was read ahead.
   */
  async refill(): Promise<void> {
    const ahead = this.ahead;
    if (!ahead) return;
    const read = await ahead.read;
    this.ahead = undefined;
    const source = this.source!;
    const pool = this.pool!;
    const keep = this.len - this.pos;
    // ensure() read these bytes meanwhile, or the tail does not fit: the chunk is not needed
    if (ahead.position !== source.position || keep > TAIL_ROOM) {
      pool.give(ahead.buf);
      return;
    }
    if ('error' in read) throw read.error;
    const { got } = read;
    source.advance!(got);
    if (got === 0) {
      this.ended = true;
      pool.give(ahead.buf);
      return;
    }
    const start = TAIL_ROOM - keep;
    ahead.buf.set(this.buf.subarray(this.pos, this.len), start);
    this.lease?.retire();
    this.lease = new ChunkLease(ahead.buf, pool);
    // buf[0] is `start` bytes before the tail's offset (the bytes before `start` are never read)
    this.base += this.pos - start;
    this.buf = ahead.buf;
    this.view = new DataView(ahead.buf.buffer);
    this.len = TAIL_ROOM + got;
    this.pos = start;
  }

  /**
   * Reads one byte of each cache line of the next WARM_BYTES from `at` (a position in `buf`).
   * Walking records is a chain of dependent loads (each size says where the next header is), so
   * a cold buffer costs a memory latency per record (the read ahead filled it on another core);
   * a sequential sweep first lets the hardware prefetcher fetch it at full bandwidth instead.
   * Worth it where records are skipped more than read (counting: 40 % less time), and still
   * ~10 % of a full parse. Only a hint: nothing depends on it but the time.
   */
  warm(at: number): void {
    const buf = this.buf;
    const to = Math.min(this.len, at + WARM_BYTES);
    let x = 0;
    for (let i = at; i < to; i += 64) x |= buf[i]!;
    this.touched |= x;
    this.warmUntil = this.base + to;
  }

  /** Makes at least `n` bytes available at `pos`. Returns false if the source ends first. */
  ensure(n: number): boolean {
    if (this.len - this.pos >= n) return true;
    if (this.ended || !this.source) return false;
    const keep = this.len - this.pos;
    const size = Math.max(n, keep + this.chunkSize);
    const pool = this.pool && size <= this.pool.size ? this.pool : undefined;
    const next = pool ? pool.take() : new Uint8Array(size);
    next.set(this.buf.subarray(this.pos, this.len), 0);
    this.lease?.retire();
    this.lease = pool ? new ChunkLease(next, pool) : undefined;
    let filled = keep;
    while (filled < size) {
      const got = this.source.read(next, filled, size - filled);
      if (got === 0) {
        this.ended = true;
        break;
      }
      filled += got;
      if (filled >= n && this.source.length === undefined) break; // a pipe: do not block for more
    }
    this.base += this.pos;
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.len = filled;
    this.pos = 0;
    return filled >= n;
  }

  /** Appends pushed bytes (for a window fed by a decompressor instead of a source). */
  append(chunks: Uint8Array[]): void {
    if (chunks.length === 0) return;
    const keep = this.len - this.pos;
    let total = keep;
    for (const c of chunks) total += c.length;
    const next = new Uint8Array(total);
    next.set(this.buf.subarray(this.pos, this.len), 0);
    let at = keep;
    for (const c of chunks) {
      next.set(c, at);
      at += c.length;
    }
    this.base += this.pos;
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.len = total;
    this.pos = 0;
  }

  /** Skips `n` bytes, reading through them if they are not in the buffer. Returns bytes skipped. */
  skip(n: number): number {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !this.ensure(1)) break;
      const step = Math.min(left, this.available);
      this.pos += step;
      left -= step;
    }
    return n - left;
  }
}

/** A chunk being read on the thread pool into `buf` at TAIL_ROOM, from `position`. */
interface ReadAhead {
  buf: Uint8Array<ArrayBuffer>;
  position: number;
  read: Promise<{ got: number } | { error: unknown }>;
}
