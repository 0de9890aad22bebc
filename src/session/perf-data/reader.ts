import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Decompress } from 'fzstd';
import { readAttr, type EventAttr } from './attr';
import {
  ByteWindow,
  CHUNK_SIZE,
  ChunkPool,
  FileRangeSource,
  POOLED_BUFFER_SIZE,
  SequentialSource,
  type ByteSource,
  type ChunkLease,
} from './byte-window';
import { Feature, RecordType, USER_TYPE_START, recordTypeName } from './constants';
import { Cursor } from './cursor';
import { PerfDataError } from './errors';
import { EventList, type EventDesc } from './evlist';
import { emptyHeaderInfo, parseFeature, readBuildIdEvent, type HeaderInfo } from './features';
import { parseFileHeader, PIPE_HEADER_SIZE, type FileHeader } from './file-header';
import { OrderedQueue, type Hold } from './ordered-queue';
import {
  deferredRecordEntries,
  deferredRecordTime,
  parseKernelRecord,
  type KernelRecord,
} from './records';
import {
  LITTLE_ENDIAN_HOST,
  plainSampleDeferred,
  plainSampleEntries,
  plainSampleTime,
  sampleTime,
  TimeBase,
} from './sample';
import { ZstdFrameHeaders } from './zstd-frames';

export interface ReaderWarning {
  message: string;
  offset: number;
}

/** Counters of one read, the basis of `perfws stats`. */
export interface ReadStats {
  /** Records per type name (SAMPLE, MMAP2, ...), including records inside COMPRESSED ones. */
  records: Map<string, number>;
  /** Kernel record types this reader does not know, by number. */
  unknownTypes: Map<number, number>;
  /** Records whose id matched no event (skipped). */
  unknownIds: number;
  /** Records that could not be parsed (skipped, see warnings). */
  badRecords: number;
  /** Sum of PERF_RECORD_LOST.lost and LOST_SAMPLES.lost. */
  lostEvents: number;
  lostSamples: number;
  /** Records queued with a time older than one already delivered (perf's nr_unordered_events). */
  outOfOrder: number;
  /** Bytes of the data section(s) read, and the total. */
  bytesRead: number;
  bytesTotal: number | undefined;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /**
   * Every record's bytes in file order, before anything else happens to it (records inside
   * COMPRESSED ones are passed too, flagged). `seq` numbers records in that order.
   */
  onRawRecord?: (bytes: Uint8Array, type: number, seq: number, compressed: boolean) => void;
  /** Called after each chunk; `total` is undefined for pipes. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Awaited between chunks: lets a consumer slow the read down (back pressure). */
  pace?: () => Promise<void>;
  /** Queue size beyond which perf's half flush is emulated (bounded memory without rounds). */
  maxQueued?: number;
  /**
   * Reuse read buffers: a delivered record (and every view into it) is valid only until the sink
   * returns, so a sink that keeps one must copy what it keeps. Much faster for large files.
   */
  recycleBuffers?: boolean;
  /**
   * Count SAMPLE records without parsing or delivering them, as `perf report --stats` does: their
   * event is still found (records with an unknown id) and their time still queued (records out of
   * order), nothing else is read.
   */
  countSamples?: boolean;
  /**
   * Takes the plain samples (sample.ts's PlainSampleLayout, of a little-endian recording, with a
   * usable time; deferred ones only with `plainDeferred`) instead of the sink, read in place:
   * they are queued as their place in a pooled read buffer, with no record made for them, and
   * handed over at delivery. Only with recycleBuffers (the place is in a pooled buffer) and
   * without onRawRecord.
   */
  plainSamples?: PlainSampleSink;
  /** Deferred plain samples go to plainSamples too (for DeferredMerger.acceptPlain). */
  plainDeferred?: boolean;
  /**
   * With plainSamples: takes the CALLCHAIN_DEFERRED records instead of the sink, read in place
   * as plain samples are (for DeferredMerger.acceptPlainRecord; records.ts's deferredRecord*
   * functions read their fields).
   */
  deferredRecords?: InPlaceSink;
}

/**
 * A record read in place at delivery: it starts at byte `record` of `lease`'s buffer (valid only
 * during the call, unless `lease` is held); its event and time as the reader found them.
 */
export type InPlaceSink = (
  lease: ChunkLease,
  record: number,
  event: EventDesc,
  time: number,
) => void;

/**
 * A plain sample at delivery: its record starts at byte `record` of `lease`'s buffer (valid only
 * during the call, unless `lease` is held); its event and time as the reader found them;
 * `deferred`: its callchain ends in a deferring event's cookie.
 */
export type PlainSampleSink = (
  lease: ChunkLease,
  record: number,
  event: EventDesc,
  time: number,
  deferred: boolean,
) => void;

/**
 * A queued plain sample is a small integer: its record's place in its buffer, shifted past its
 * event's index (samples of more events, or past the place's bits, are parsed into records);
 * negated (bitwise) when the sample is deferred.
 */
const PLAIN_EVENT_BITS = 7;
const PLAIN_PLACE_LIMIT = 2 ** (30 - PLAIN_EVENT_BITS);

/** The end state of a read: complete, truncated (with a warning), or stopped by corruption. */
export interface ReadResult {
  truncatedAt?: number;
  error?: PerfDataError;
}

export type RecordSink = (record: KernelRecord) => void;

const MAX_WARNINGS = 200;

const warningKey = (w: ReaderWarning): string => `${w.offset}:${w.message}`;

/** Record types run to about 90; anything far beyond is not a record header. */
const MAX_PLAUSIBLE_TYPE = 0xffff;

/** "SAMPLE record" and the like, for cursors' error messages: made once per type, not per record. */
const recordLabels: (string | undefined)[] = [];
function recordLabel(type: number): string {
  return (recordLabels[type] ??= `${recordTypeName(type)} record`);
}

/** What a counted (not parsed) sample is queued as: it keeps perf's order statistics exact. */
const COUNTED_SAMPLE = Object.freeze({}) as KernelRecord;

function looksLikeText(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes.every((b) => b === 10 || b === 9 || (b >= 0x20 && b < 0x7f));
}

/**
 * Reads a perf.data recording (file mode, pipe mode, or a `perf record --threads` directory) and
 * delivers its kernel records in perf's order. Never loads the data section at once: it streams
 * through a window of a few MB.
 */
export class PerfDataReader {
  readonly events = new EventList();
  readonly info: HeaderInfo = emptyHeaderInfo();
  readonly times = new TimeBase();
  readonly warnings: ReaderWarning[] = [];
  warningCount = 0;
  readonly stats: ReadStats = {
    records: new Map(),
    unknownTypes: new Map(),
    unknownIds: 0,
    badRecords: 0,
    lostEvents: 0,
    lostSamples: 0,
    outOfOrder: 0,
    bytesRead: 0,
    bytesTotal: undefined,
  };
  private queue: OrderedQueue<KernelRecord | number> | undefined;
  /** ReadOptions.plainSamples, while a read that may use it runs, and plainDeferred. */
  private plainSink: PlainSampleSink | undefined;
  private plainDeferred = false;
  /** ReadOptions.deferredRecords is given (with plainSamples). */
  private inPlaceRecords = false;
  private decompressor: Decompressor | undefined;
  private nameWarned = new Set<number>();
  /** Records seen so far, in file order (ReadOptions.onRawRecord, KernelRecord.seq). */
  private seq = 0;
  private rawTap: ReadOptions['onRawRecord'];
  private countSamples = false;
  /** Records per type, and the types in the order they were first seen (for stats.records). */
  private typeCounts = new Float64Array(MAX_PLAUSIBLE_TYPE + 1);
  private typeOrder: number[] = [];
  /** The record loop's one cursor and parse environment, moved along instead of made per record. */
  private readonly recordCursor = new Cursor(new DataView(new ArrayBuffer(0)), true, 0);
  private readonly parseEnv = { times: this.times, seq: 0 };

  private constructor(
    readonly path: string,
    readonly header: FileHeader,
    private readonly fd: number,
    readonly fileSize: number,
    /** Extra data files of a directory recording. */
    private readonly dataFiles: { path: string; fd: number; size: number }[],
    private readonly probe: Uint8Array,
  ) {}

  /**
   * Opens a recording: checks the magic, reads the header, the attrs and the feature sections
   * (file mode). Pipe-mode streams carry those as records; they are read by `read()`.
   * `path` may be `-` for standard input.
   */
  static open(path: string): PerfDataReader {
    let headerPath = path;
    const dataFiles: { path: string; fd: number; size: number }[] = [];
    let isDir = false;
    if (path !== '-' && statSync(path).isDirectory()) {
      isDir = true;
      headerPath = join(path, 'data');
    }
    const fd = path === '-' ? 0 : openSync(headerPath, 'r');
    try {
      const st = fstatSync(fd);
      const seekable = st.isFile();
      const probe = new Uint8Array(4096);
      let got = 0;
      if (seekable) got = readSync(fd, probe, 0, Math.min(probe.length, st.size), 0);
      else {
        while (got < PIPE_HEADER_SIZE) {
          const n = readSync(fd, probe, got, PIPE_HEADER_SIZE - got, null);
          if (n === 0) break;
          got += n;
        }
      }
      const fileSize = seekable ? st.size : Number.MAX_SAFE_INTEGER;
      const header = parseFileHeader(probe.subarray(0, got), fileSize);
      if (!seekable && !header.pipe) {
        throw new PerfDataError(
          'a file-mode perf.data cannot be read from a pipe',
          8,
          'header.size',
        );
      }
      if (isDir) {
        for (const name of readdirSync(path).sort(compareDataNames)) {
          if (!/^data\.\d+$/.test(name)) continue;
          const p = join(path, name);
          const dfd = openSync(p, 'r');
          dataFiles.push({ path: p, fd: dfd, size: fstatSync(dfd).size });
        }
      }
      const reader = new PerfDataReader(
        path,
        header,
        fd,
        fileSize,
        dataFiles,
        seekable ? new Uint8Array(0) : probe.slice(0, got),
      );
      if (!header.pipe) reader.readFileSections();
      return reader;
    } catch (e) {
      if (fd !== 0) closeSync(fd);
      for (const d of dataFiles) closeSync(d.fd);
      throw e;
    }
  }

  /**
   * Takes over what a read done elsewhere (the load worker) found: counters, warnings, the time
   * base and event names updated by the stream.
   */
  adoptRead(read: {
    stats: ReadStats;
    warnings: ReaderWarning[];
    warningCount: number;
    timeBase: string;
    eventNames: string[];
  }): void {
    Object.assign(this.stats, read.stats);
    // Both readers opened the same file, so what opening it found (an unreadable feature
    // section, a short data section) is in both lists: keep one of each.
    const seen = new Set(this.warnings.map(warningKey));
    let repeated = 0;
    for (const w of read.warnings) {
      if (seen.has(warningKey(w))) {
        repeated++;
        continue;
      }
      seen.add(warningKey(w));
      if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
    }
    this.warningCount += read.warningCount - repeated;
    this.times.adopt(BigInt(read.timeBase));
    read.eventNames.forEach((name, i) => {
      const e = this.events.events[i];
      if (e) e.name = name;
    });
  }

  /**
   * Keeps the read buffer of the record being delivered from being reused until the returned
   * hold is released: a sink keeps the record's views that long without copying them. Undefined
   * when the record has no such buffer (a fresh one, or one delivered at once): copy what you keep.
   */
  retainDelivered(): Hold | undefined {
    const hold = this.queue?.delivering;
    hold?.hold();
    return hold;
  }

  close(): void {
    if (this.fd !== 0) closeSync(this.fd);
    for (const d of this.dataFiles) closeSync(d.fd);
  }

  get littleEndian(): boolean {
    return this.header.littleEndian;
  }

  warn(message: string, offset: number): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ message, offset });
  }

  private readAt(offset: number, size: number, what: string): Uint8Array {
    if (offset + size > this.fileSize) {
      throw new PerfDataError(
        `${what} (${size} bytes) runs past the end of the ${this.fileSize}-byte file`,
        offset,
        what,
      );
    }
    const buf = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const n = readSync(this.fd, buf, got, size - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf;
  }

  /** File mode: the attrs section (attr + ids of each event) and the feature sections. */
  private readFileSections(): void {
    const h = this.header;
    const le = h.littleEndian;
    // header.attr_size is sizeof(struct perf_file_attr): the attr plus its {offset, size} of ids.
    const entry = h.attrSize;
    if (h.attrs.size > 0 && (entry <= 16 || h.attrs.size % entry !== 0)) {
      throw new PerfDataError(
        `attrs section of ${h.attrs.size} bytes is not a multiple of attr_size ${entry}`,
        16,
        'header.attr_size',
      );
    }
    const nrAttrs = entry > 16 ? h.attrs.size / entry : 0;
    const attrBytes = this.readAt(h.attrs.offset, h.attrs.size, 'attrs section');
    const c = Cursor.of(attrBytes, le, h.attrs.offset, 'attrs section');
    const attrs: { attr: EventAttr; ids: number[] }[] = [];
    for (let i = 0; i < nrAttrs; i++) {
      const attr = readAttr(c, entry - 16);
      const idsOffset = c.u64Count('attr.ids.offset');
      const idsSize = c.u64Count('attr.ids.size');
      const idBytes = this.readAt(idsOffset, idsSize, `ids of attr ${i}`);
      const ic = Cursor.of(idBytes, le, idsOffset, 'attr ids');
      const ids: number[] = [];
      while (ic.remaining >= 8) ids.push(ic.u64Count('attr.id'));
      attrs.push({ attr, ids });
    }
    // Feature sections: an array of {offset, size}, one per set bit, after the data section.
    const featOffset = h.data.offset + h.data.size;
    const present = h.features.filter((f) => f > 0);
    if (present.length > 0) {
      try {
        const table = this.readAt(featOffset, present.length * 16, 'feature section table');
        const tc = Cursor.of(table, le, featOffset, 'feature section table');
        for (const feature of present) {
          const offset = tc.u64Count('feature.offset');
          const size = tc.u64Count('feature.size');
          try {
            parseFeature(
              this.info,
              feature,
              this.readAt(offset, size, `feature ${feature}`),
              le,
              offset,
            );
          } catch (e) {
            this.warn(`feature ${feature} unreadable: ${(e as Error).message}`, offset);
          }
        }
      } catch (e) {
        this.warn(`feature sections unreadable: ${(e as Error).message}`, featOffset);
      }
    }
    const descs = this.info.eventDescs ?? [];
    for (const [i, { attr, ids }] of attrs.entries()) {
      const desc =
        descs.find((d) => d.ids.length > 0 && d.ids.some((id) => ids.includes(id))) ?? descs[i];
      this.events.add(attr, ids, desc?.name);
    }
  }

  /**
   * Streams the data and delivers kernel records to `sink` in perf's order. Resolves when done;
   * `result.error` is set when corruption stopped the read (everything before it was delivered).
   */
  async read(sink: RecordSink, options: ReadOptions = {}): Promise<ReadResult> {
    const maxQueued = options.maxQueued ?? 4_000_000;
    const plain = options.plainSamples;
    const deferredRecords = options.deferredRecords;
    const events = this.events.events;
    const queue = new OrderedQueue<KernelRecord | number>((r, time) => {
      if (typeof r === 'number') {
        const lease = queue.delivering as ChunkLease;
        const place = r < 0 ? ~r : r;
        const event = events[place & ((1 << PLAIN_EVENT_BITS) - 1)]!;
        const record = place >>> PLAIN_EVENT_BITS;
        if (lease.view.getUint32(record, true) === RecordType.CALLCHAIN_DEFERRED)
          deferredRecords!(lease, record, event, time);
        else plain!(lease, record, event, time, r < 0);
      } else if (r !== COUNTED_SAMPLE) sink(r);
    });
    this.queue = queue;
    this.rawTap = options.onRawRecord;
    this.plainSink =
      plain &&
      options.recycleBuffers &&
      !this.rawTap &&
      this.header.littleEndian &&
      LITTLE_ENDIAN_HOST
        ? plain
        : undefined;
    this.plainDeferred = options.plainDeferred ?? false;
    this.inPlaceRecords = this.plainSink !== undefined && deferredRecords !== undefined;
    this.countSamples = options.countSamples ?? false;
    this.seq = 0;
    const h = this.header;
    const sources: ByteSource[] = [];
    if (h.pipe) {
      sources.push(
        this.fd === 0
          ? new SequentialSource(0, PIPE_HEADER_SIZE, this.probe.subarray(PIPE_HEADER_SIZE))
          : new FileRangeSource(this.fd, PIPE_HEADER_SIZE, this.fileSize),
      );
    } else {
      let end = h.data.offset + h.data.size;
      if (h.data.size === 0 && this.fileSize > h.data.offset) {
        this.warn(
          `the header's data size is 0 (perf record did not finish); reading to the end of the file`,
          40,
        );
        end = this.fileSize;
      }
      if (end > this.fileSize) {
        this.warn(
          `data section should end at ${end} but the file has ${this.fileSize} bytes: the file is truncated`,
          this.fileSize,
        );
        end = this.fileSize;
      }
      sources.push(new FileRangeSource(this.fd, h.data.offset, end));
    }
    for (const d of this.dataFiles) sources.push(new FileRangeSource(d.fd, 0, d.size));
    this.stats.bytesTotal =
      h.pipe && this.fd === 0
        ? undefined
        : sources.reduce((n, s) => n + (s.length ?? 0) - s.position, 0);

    const pool = options.recycleBuffers ? new ChunkPool(POOLED_BUFFER_SIZE) : undefined;
    const result: ReadResult = {};
    try {
      // A directory recording: the header file's data first, then each data.N (perf reads them
      // in parallel and orders by time; the ordered queue gives the same delivery order as long
      // as rounds are respected, which --threads recordings write per file).
      // One turn of the event loop first: a cancel sent right after the call must be seen.
      await yieldToEventLoop();
      for (const source of sources) {
        const window = new ByteWindow(source, CHUNK_SIZE, source.position, pool);
        const start = source.position;
        for (;;) {
          options.signal?.throwIfAborted();
          // the next chunk is read on the thread pool while this one is parsed
          window.readAhead();
          const stop = this.scan(window, h.pipe, result);
          if (options.onProgress)
            options.onProgress(
              this.stats.bytesRead + (source.position - start),
              this.stats.bytesTotal,
            );
          if (stop || window.done) break;
          if (queue.size > maxQueued) {
            this.warn(
              `more than ${maxQueued} records without a FINISHED_ROUND: flushing half`,
              window.offset,
            );
            queue.flushHalf();
          }
          await yieldToEventLoop();
          await options.pace?.();
          await window.refill();
        }
        this.stats.bytesRead += source.position - start;
        if (result.error || result.truncatedAt !== undefined) break;
      }
    } finally {
      queue.flushAll();
      this.stats.outOfOrder = queue.unordered;
      for (const type of this.typeOrder)
        this.stats.records.set(recordTypeName(type), this.typeCounts[type]!);
      this.queue = undefined;
    }
    return result;
  }

  /**
   * Parses the records available in the window (reading more as needed, one chunk at a time).
   * Returns true when reading must stop (end, truncation or corruption).
   */
  private scan(window: ByteWindow, pipe: boolean, result: ReadResult): boolean {
    const chunkEnd = window.base + window.len; // parse what is buffered, then give the loop a turn
    const counting = this.countSamples && !this.rawTap;
    for (;;) {
      if (window.base + window.pos >= window.warmUntil) window.warm(window.pos);
      if (counting) this.countSampleRun(window, chunkEnd);
      // out of bytes while the next ones are being read ahead: the loop waits for them
      if (window.available < 8 && window.readingAhead) return false;
      if (!window.ensure(8)) {
        if (window.available > 0) {
          result.truncatedAt = window.offset;
          this.warn(
            `the file ends inside a record header (${window.available} bytes left)`,
            window.offset,
          );
        }
        return true;
      }
      const v = window.view;
      const p = window.pos;
      const le = this.header.littleEndian;
      const type = v.getUint32(p, le);
      const misc = v.getUint16(p + 4, le);
      const size = v.getUint16(p + 6, le);
      const offset = window.offset;
      if (size < 8) {
        result.error = new PerfDataError(
          `record header size is ${size}, less than the 8-byte header itself (type ${type})`,
          offset + 6,
          'perf_event_header.size',
        );
        return true;
      }
      if (type > MAX_PLAUSIBLE_TYPE) {
        // Not a record at all: perf record's own messages appended to a pipe file, or garbage.
        const tail = window.buf.subarray(window.pos, Math.min(window.len, window.pos + 40));
        const text = looksLikeText(tail)
          ? `: "${new TextDecoder().decode(tail).replace(/\n/g, ' ')}..."`
          : '';
        if (pipe) {
          this.warn(`trailing data that is not a perf record ignored${text}`, offset);
          return true;
        }
        result.error = new PerfDataError(
          `record type ${type} is not a perf record type${text}`,
          offset,
          'perf_event_header.type',
        );
        return true;
      }
      if (window.available < size && window.readingAhead) return false;
      if (!window.ensure(size)) {
        result.truncatedAt = offset;
        this.warn(
          `the file ends inside a ${recordTypeName(type)} record of ${size} bytes (${window.available} bytes present)`,
          offset,
        );
        return true;
      }
      if (type === RecordType.SAMPLE && counting) {
        // Counting only (stats): no cursor, no record, just the time for the queue's order.
        window.pos += size;
        this.seq++;
        this.count(type);
        this.countSample(v, p, size, offset);
        if (window.base + window.pos >= chunkEnd) return false;
        continue;
      }
      if (
        (type === RecordType.SAMPLE
          ? this.plainSink !== undefined
          : type === RecordType.CALLCHAIN_DEFERRED && this.inPlaceRecords) &&
        window.lease &&
        this.queueInPlace(window, type, size)
      ) {
        this.seq++;
        window.pos += size;
        this.count(type);
        if (window.base + window.pos >= chunkEnd) return false;
        continue;
      }
      const cursor = this.recordCursor.reset(
        window.view,
        le,
        window.base,
        window.pos,
        window.pos + size,
        recordLabel(type),
      );
      this.rawTap?.(window.buf.subarray(window.pos, window.pos + size), type, this.seq, false);
      this.seq++;
      window.pos += size;
      this.count(type);
      if (type >= USER_TYPE_START) {
        if (window.lease && keepsViews(type)) window.lease.pinned = true;
        const stop = this.userRecord(cursor, type, misc, size, window, pipe, result);
        if (stop) return true;
      } else {
        this.kernelRecord(cursor, type, misc, size, window.lease);
      }
      // Past what was buffered: return so progress, cancellation and back pressure get a turn.
      if (window.base + window.pos >= chunkEnd) return false;
    }
  }

  /**
   * Queues the SAMPLE or CALLCHAIN_DEFERRED record at the window's position as its place
   * (ReadOptions.plainSamples, deferredRecords): false when it is not a plain sample, or out of
   * the ordinary, and must be parsed.
   */
  private queueInPlace(window: ByteWindow, type: number, size: number): boolean {
    const v = window.view;
    const p = window.pos;
    const event = this.eventAt(v, p, type, size);
    if (!event || event.index >= 1 << PLAIN_EVENT_BITS || p >= PLAIN_PLACE_LIMIT) return false;
    const place = (p << PLAIN_EVENT_BITS) | event.index;
    if (type === RecordType.CALLCHAIN_DEFERRED) {
      if (deferredRecordEntries(v, p, size, event) < 0) return false;
      const time = deferredRecordTime(v, p, event, this.times);
      if (time === undefined) return false;
      this.queue!.push(time, place, window.lease);
      return true;
    }
    const l = event.plainSample;
    if (!l) return false;
    const body = p + 8;
    const nr = plainSampleEntries(v, body, p + size, l);
    if (nr < 0) return false;
    const deferred = plainSampleDeferred(v, body, l, nr, event);
    if (deferred && !this.plainDeferred) return false;
    const time = plainSampleTime(v, body, l, this.times);
    if (time === undefined) return false;
    this.queue!.push(time, deferred ? ~place : place, window.lease);
    return true;
  }

  private count(type: number): void {
    const n = this.typeCounts[type]!;
    if (n === 0) this.typeOrder.push(type);
    this.typeCounts[type] = n + 1;
  }

  /** A kernel record: find its event, parse it, queue it by time (or deliver it now). */
  private kernelRecord(
    c: Cursor,
    type: number,
    misc: number,
    size: number,
    lease?: ChunkLease,
  ): void {
    const event = this.eventAt(c.view, c.pos, type, size);
    if (!event) {
      this.stats.unknownIds++;
      this.warn(
        `${recordTypeName(type)} record with an id that matches no event: skipped`,
        c.absolute(),
      );
      return;
    }
    const offset = c.absolute();
    let record;
    try {
      this.parseEnv.seq = this.seq - 1;
      record = parseKernelRecord(c, type, misc, size, event, this.parseEnv);
    } catch (e) {
      if (!(e instanceof PerfDataError)) throw e;
      this.stats.badRecords++;
      this.warn(`${recordTypeName(type)} record skipped: ${e.message}`, offset);
      return;
    }
    if (!record) {
      this.stats.unknownTypes.set(type, (this.stats.unknownTypes.get(type) ?? 0) + 1);
      if (!this.nameWarned.has(type)) {
        this.nameWarned.add(type);
        this.warn(`unknown record type ${type}: skipped`, offset);
      }
      return;
    }
    // by the header's type first: a property of records of every shape is a slow read
    if (type === RecordType.LOST || type === RecordType.LOST_SAMPLES) {
      if (record.type === RecordType.LOST) this.stats.lostEvents += record.lost;
      else if (record.type === RecordType.LOST_SAMPLES) this.stats.lostSamples += record.lost;
    }
    if (record.sid.hasTime) this.queue!.push(record.sid.time, record, lease);
    else this.queue!.deliverNow(record);
  }

  /**
   * Counting only (stats): the whole SAMPLE records buffered at the window's position, one after
   * another, in a loop of their own (the general loop's checks cost more than the counting).
   * Stops before any other record, a short one or the chunk's end: the general loop reads those.
   */
  private countSampleRun(window: ByteWindow, chunkEnd: number): void {
    const v = window.view;
    const le = this.header.littleEndian;
    const limit = Math.min(window.len, chunkEnd - window.base);
    let p = window.pos;
    let n = 0;
    let warm = window.warmUntil - window.base;
    while (limit - p >= 8 && v.getUint32(p, le) === RecordType.SAMPLE) {
      if (p >= warm) {
        window.warm(p);
        warm = window.warmUntil - window.base;
      }
      const size = v.getUint16(p + 6, le);
      if (size < 8 || limit - p < size) break;
      this.countSample(v, p, size, window.base + p);
      p += size;
      n++;
    }
    if (n === 0) return;
    window.pos = p;
    this.seq += n;
    if (this.typeCounts[RecordType.SAMPLE] === 0) this.typeOrder.push(RecordType.SAMPLE);
    this.typeCounts[RecordType.SAMPLE]! += n;
  }

  /** A sample counted, not parsed: it still takes its place in the queue (out-of-order count). */
  private countSample(view: DataView, start: number, size: number, offset: number): void {
    const event = this.eventAt(view, start, RecordType.SAMPLE, size);
    if (!event) {
      this.stats.unknownIds++;
      this.warn(`SAMPLE record with an id that matches no event: skipped`, offset);
      return;
    }
    const le = this.header.littleEndian;
    const t = sampleTime(view, start, start + size, le, event, this.times);
    if (t !== undefined) this.queue!.push(t, COUNTED_SAMPLE);
  }

  /** perf's evlist__event2evsel: by the ID/IDENTIFIER slot of the record at `start` of `v`. */
  private eventAt(v: DataView, start: number, type: number, size: number): EventDesc | undefined {
    const events = this.events;
    const first = events.first;
    if (!first) return undefined;
    if (events.events.length === 1) return first;
    const le = this.header.littleEndian;
    let slot: number;
    if (type === RecordType.SAMPLE) {
      if (events.idPos < 0) return first;
      slot = start + 8 + 8 * events.idPos;
    } else {
      if (events.isPos < 0 || first.idTrailerSize === 0) return first;
      slot = start + size - 8 * events.isPos;
    }
    if (slot < start + 8 || slot + 8 > start + size) return undefined;
    const lo = v.getUint32(slot, le);
    const hi = v.getUint32(slot + 4, le);
    const id = le ? hi * 4294967296 + lo : lo * 4294967296 + hi;
    return events.forId(id);
  }

  /** Records perf synthesizes (type >= 64). Returns true to stop reading. */
  private userRecord(
    c: Cursor,
    type: number,
    misc: number,
    size: number,
    window: ByteWindow,
    pipe: boolean,
    result: ReadResult,
  ): boolean {
    const le = this.header.littleEndian;
    const start = c.pos;
    c.pos += 8;
    try {
      switch (type) {
        case RecordType.FINISHED_ROUND:
          this.queue!.flushRound();
          return false;
        case RecordType.HEADER_ATTR: {
          // struct perf_record_header_attr { header; perf_event_attr attr; u64 id[]; }
          const attrSize = c.view.getUint32(c.pos + 4, le) || 64;
          const attr = readAttr(c, Math.min(attrSize, size - 8));
          const ids: number[] = [];
          while (c.remaining >= 8) ids.push(c.u64Count('header_attr.id'));
          const desc = this.info.eventDescs?.find((d) => d.ids.some((id) => ids.includes(id)));
          this.events.add(attr, ids, desc?.name);
          return false;
        }
        case RecordType.EVENT_UPDATE: {
          // struct perf_record_event_update { header; u64 type; u64 id; union {...} }
          const kind = c.u64Count('event_update.type');
          const id = c.u64Count('event_update.id');
          const event = this.events.byIdOrUndefined(id);
          if (event && kind === 2 /* PERF_EVENT_UPDATE__NAME */) {
            event.name = c.cString('event_update.name');
            event.named = true;
          }
          return false;
        }
        case RecordType.HEADER_EVENT_TYPE:
          return false;
        case RecordType.HEADER_TRACING_DATA: {
          // struct perf_record_header_tracing_data { header; u32 size; } followed by the data.
          const dataSize = c.u32('tracing_data.size');
          const padded = dataSize + ((8 - (dataSize % 8)) % 8);
          if (!window.ensure(padded)) {
            result.truncatedAt = window.offset;
            this.warn(`the stream ends inside ${padded} bytes of tracing data`, window.offset);
            return true;
          }
          this.info.tracingData = window.buf.slice(window.pos, window.pos + dataSize);
          this.info.present.add(Feature.TRACING_DATA);
          window.pos += padded;
          return false;
        }
        case RecordType.HEADER_BUILD_ID: {
          c.pos = start;
          this.info.buildIds.push(readBuildIdEvent(c));
          this.info.present.add(Feature.BUILD_ID);
          return false;
        }
        case RecordType.HEADER_FEATURE: {
          // struct perf_record_header_feature { header; u64 feat_id; char data[]; }
          const feature = c.u64Count('header_feature.feat_id');
          parseFeature(
            this.info,
            feature,
            c.bytes(c.remaining, 'header_feature.data'),
            le,
            c.absolute(),
          );
          if (feature === Feature.EVENT_DESC) this.applyEventDescNames();
          return false;
        }
        case RecordType.AUXTRACE: {
          // struct perf_record_auxtrace { header; u64 size, offset, reference; u32 idx, tid, cpu, reserved; }
          // followed by `size` bytes of trace data that header.size does not count.
          const auxSize = c.u64Count('auxtrace.size');
          const skipped = window.skip(auxSize);
          if (skipped < auxSize) {
            result.truncatedAt = window.offset;
            this.warn(`the stream ends inside ${auxSize} bytes of AUXTRACE data`, window.offset);
            return true;
          }
          return false;
        }
        case RecordType.COMPRESSED:
        case RecordType.COMPRESSED2: {
          // COMPRESSED: header; char data[]. COMPRESSED2: header; u64 data_size; char data[].
          let dataSize = c.remaining;
          if (type === RecordType.COMPRESSED2)
            dataSize = Math.min(c.u64Count('compressed2.data_size'), c.remaining);
          this.decompress(c.bytes(dataSize, 'compressed.data'), c.absolute(start), pipe, result);
          return result.error !== undefined;
        }
        default:
          // ID_INDEX, AUXTRACE_INFO/ERROR, THREAD_MAP, CPU_MAP, STAT*, TIME_CONV, FINISHED_INIT,
          // BPF_METADATA: counted, nothing the profile needs.
          return false;
      }
    } catch (e) {
      if (!(e instanceof PerfDataError)) throw e;
      this.stats.badRecords++;
      this.warn(`${recordTypeName(type)} record skipped: ${e.message}`, window.base + start);
      return false;
    }
  }

  private applyEventDescNames(): void {
    for (const d of this.info.eventDescs ?? []) {
      for (const e of this.events.events) {
        if (!e.named && d.ids.some((id) => e.ids.includes(id))) {
          e.name = d.name;
          e.named = true;
        }
      }
    }
  }

  /**
   * PERF_RECORD_COMPRESSED: zstd data, one continuous stream across all such records (a record
   * may end inside an event, the next one continues it). Decompressed in bounded pieces as perf
   * does: fzstd hands over each block (at most 128 KB) and its records are parsed and queued at
   * once, so nothing holds a record's whole expansion. A record may expand to at most what perf's
   * decompression buffer holds (the COMPRESSED feature's mmap_len); more is refused, naming the
   * record's offset, and so are frame and block headers that declare absurd sizes.
   */
  private decompress(data: Uint8Array, offset: number, pipe: boolean, result: ReadResult): void {
    const d = (this.decompressor ??= this.startDecompressor());
    d.record = { offset, pipe, result, produced: 0 };
    try {
      d.headers.check(data);
      d.dz.push(data);
    } catch (e) {
      if (e === STOP_DECOMPRESSING) return; // result.error says why
      result.error = new PerfDataError(
        `zstd data does not decompress: ${(e as Error).message}`,
        offset,
        'compressed.data',
      );
    } finally {
      d.record = undefined;
    }
  }

  private startDecompressor(): Decompressor {
    const mmapLen = this.info.compressed?.mmapLen;
    const d: Decompressor = {
      dz: new Decompress((block) => this.inflated(block)),
      headers: new ZstdFrameHeaders(),
      window: new ByteWindow(undefined, 0, 0),
      limit: mmapLen && mmapLen > 0 ? mmapLen : DEFAULT_DECOMPRESSED_LIMIT,
      record: undefined,
    };
    return d;
  }

  /** One block of decompressed bytes: checked against the limit, then its records parsed. */
  private inflated(block: Uint8Array): void {
    const d = this.decompressor!;
    const r = d.record!;
    r.produced += block.length;
    if (r.produced > d.limit) {
      const what = this.info.compressed?.mmapLen
        ? `the recording's decompression buffer (mmap_len ${d.limit})`
        : `${d.limit} bytes (the recording declares no mmap_len)`;
      r.result.error = new PerfDataError(
        `the COMPRESSED record expands to more than ${what}`,
        r.offset,
        'compressed.data',
      );
      throw STOP_DECOMPRESSING;
    }
    d.window.append([block]);
    this.parseInflated(d.window, r.offset, r.pipe, r.result);
    if (r.result.error) throw STOP_DECOMPRESSING;
  }

  /** The records complete in the decompressed window (the rest waits for the next block). */
  private parseInflated(w: ByteWindow, offset: number, pipe: boolean, result: ReadResult): void {
    const le = this.header.littleEndian;
    while (w.available >= 8) {
      const type = w.view.getUint32(w.pos, le);
      const misc = w.view.getUint16(w.pos + 4, le);
      const size = w.view.getUint16(w.pos + 6, le);
      if (size < 8 || type > MAX_PLAUSIBLE_TYPE) {
        const what = size < 8 ? `record header size is ${size}` : `record type ${type}`;
        result.error = new PerfDataError(
          `${what} inside the data decompressed from the COMPRESSED record at ${offset} (decompressed offset ${w.offset})`,
          offset,
          size < 8 ? 'perf_event_header.size' : 'perf_event_header.type',
        );
        return;
      }
      if (w.available < size) break; // continues in the next block or COMPRESSED record
      // Offsets of decompressed records are reported as the COMPRESSED record's file offset.
      const c = new Cursor(
        w.view,
        le,
        offset - w.pos,
        w.pos,
        w.pos + size,
        `${recordTypeName(type)} record (compressed)`,
      );
      this.rawTap?.(w.buf.subarray(w.pos, w.pos + size), type, this.seq, true);
      this.seq++;
      w.pos += size;
      this.count(type);
      if (type >= USER_TYPE_START) {
        if (type === RecordType.FINISHED_ROUND) this.queue!.flushRound();
        else this.userRecord(c, type, misc, size, w, pipe, result);
      } else {
        this.kernelRecord(c, type, misc, size);
      }
      if (result.error) return;
    }
  }
}

/** The zstd stream of a recording's COMPRESSED records, and the record being decompressed. */
interface Decompressor {
  dz: Decompress;
  headers: ZstdFrameHeaders;
  /** Decompressed bytes not yet parsed (a record split across blocks). */
  window: ByteWindow;
  /** Most bytes one COMPRESSED record may expand to. */
  limit: number;
  record: { offset: number; pipe: boolean; result: ReadResult; produced: number } | undefined;
}

/**
 * For a recording without the COMPRESSED feature (perf writes it with every -z recording; perf
 * itself cannot decompress without it): 32 times perf's default mmap_len of 516 KB.
 */
const DEFAULT_DECOMPRESSED_LIMIT = 16 << 20;

/** Thrown through fzstd to stop it once a block turned out bad; result.error says why. */
const STOP_DECOMPRESSING = Symbol('stop decompressing');

/**
 * User records whose parsed result may keep views of their bytes (a feature section's data, the
 * zstd stream's input), so that their read buffer must never be reused.
 */
function keepsViews(type: number): boolean {
  return (
    type === RecordType.HEADER_FEATURE ||
    type === RecordType.COMPRESSED ||
    type === RecordType.COMPRESSED2
  );
}

/** Orders data.0, data.1, ..., data.10 numerically. */
function compareDataNames(a: string, b: string): number {
  const na = Number(a.split('.')[1] ?? 0);
  const nb = Number(b.split('.')[1] ?? 0);
  return na - nb || a.localeCompare(b);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
