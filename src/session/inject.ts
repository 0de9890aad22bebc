import { closeSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { DeferredMerger, MergeStatus, type MergeStats } from './merge/deferred-merge';
import { Feature, ReadFormat, RecordType, SampleType } from './perf-data/constants';
import { PerfDataError } from './perf-data/errors';
import type { EventDesc } from './perf-data/evlist';
import { PerfDataReader } from './perf-data/reader';
import { wordsLength, type U64Words } from './perf-data/u64';
import { openTemporaryBeside } from './temporary-file';

const CONTEXT_USER = [0xfffffe00, 0xffffffff];
const DEFER_BITS = (1n << 38n) | (1n << 39n);

export interface InjectOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
}

export interface InjectResult {
  merge: MergeStats;
  /** CALLCHAIN_DEFERRED records left out. */
  droppedRecords: number;
  bytesWritten: number;
}

/**
 * `perfws inject --merge-callchains`: writes a classic perf.data in which every deferred sample
 * carries its merged callchain (`[…kernel…, PERF_CONTEXT_USER, user ips…]`, as a classic
 * `perf record -g` writes it), samples whose user stack never came keep their kernel part, the
 * CALLCHAIN_DEFERRED records are gone and the attrs lose their defer bits — so perf before 6.19,
 * hotspot and every other perf.data reader can open recordings made with `--call-graph fp,defer`.
 *
 * Two passes: the first merges in perf's order and remembers each deferred sample's chain by its
 * position in the file; the second copies the file in file order, rewriting those samples.
 * Compressed data is written uncompressed.
 */
export async function injectMergedCallchains(
  inPath: string,
  outPath: string,
  options: InjectOptions = {},
): Promise<InjectResult> {
  const chains = new Map<number, U64Words | undefined>();
  const first = PerfDataReader.open(inPath);
  let merge: MergeStats;
  try {
    if (first.header.pipe) {
      throw new PerfDataError(
        'inject writes file-mode recordings; this one is a pipe-mode stream',
        8,
        'header.size',
      );
    }
    const merger = new DeferredMerger(true, {
      sample: (r, chain, status) => {
        if (status === MergeStatus.CLASSIC) return;
        chains.set(r.seq, status === MergeStatus.MERGED ? chain : undefined);
      },
      other: () => {},
    });
    const result = await first.read((r) => merger.accept(r), { signal: options.signal });
    merger.finish();
    if (result.error) throw result.error;
    merge = merger.stats;
  } finally {
    first.close();
  }

  const reader = PerfDataReader.open(inPath);
  const { path: tmp, fd: out } = openTemporaryBeside(outPath);
  try {
    const h = reader.header;
    const inFd = openSync(inPath, 'r');
    let dataSize = 0;
    let dropped = 0;
    try {
      // Everything before the data section (header, attrs, ids), with the defer bits cleared.
      const head = readBytes(inFd, 0, h.data.offset);
      clearDeferBitsInAttrs(head, reader, h.attrs.offset, h.attrs.size, h.attrSize);
      writeSync(out, head, 0, head.length, 0);
      let pos = h.data.offset;
      const write = (bytes: Uint8Array): void => {
        writeSync(out, bytes, 0, bytes.length, pos);
        pos += bytes.length;
        dataSize += bytes.length;
      };
      const result = await reader.read(() => {}, {
        signal: options.signal,
        onProgress: options.onProgress,
        onRawRecord: (bytes, type, seq) => {
          if (type === RecordType.COMPRESSED || type === RecordType.COMPRESSED2) return; // its records follow
          if (type === RecordType.CALLCHAIN_DEFERRED) {
            dropped++;
            return;
          }
          if (type === RecordType.SAMPLE && chains.has(seq)) {
            write(rewriteSample(bytes, reader, chains.get(seq)));
            return;
          }
          write(bytes);
        },
      });
      if (result.error) throw result.error;
      // The feature sections after the data: copied, their offsets moved by the size change.
      const delta = dataSize - h.data.size;
      const oldFeatStart = h.data.offset + h.data.size;
      const tail = readBytes(inFd, oldFeatStart, reader.fileSize - oldFeatStart);
      const present = h.features.filter((f) => f > 0);
      const le = h.littleEndian;
      const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
      for (let i = 0; i < present.length && 16 * i + 16 <= tail.length; i++) {
        const off = tv.getBigUint64(16 * i, le);
        const size = tv.getBigUint64(16 * i + 8, le);
        tv.setBigUint64(16 * i, off + BigInt(delta), le);
        if (present[i] === Feature.EVENT_DESC) {
          const at = Number(off) - oldFeatStart;
          clearDeferBitsInEventDesc(tail.subarray(at, at + Number(size)), le);
        }
      }
      writeSync(out, tail, 0, tail.length, pos);
      // header: the new data size
      const size = new Uint8Array(8);
      new DataView(size.buffer).setBigUint64(0, BigInt(dataSize), le);
      writeSync(out, size, 0, 8, 48);
      const bytesWritten = pos + tail.length;
      closeSync(out);
      renameSync(tmp, outPath);
      return { merge, droppedRecords: dropped, bytesWritten };
    } finally {
      closeSync(inFd);
    }
  } catch (e) {
    try {
      closeSync(out);
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmp);
    } catch {
      // nothing written
    }
    throw e;
  } finally {
    reader.close();
  }
}

function readBytes(fd: number, offset: number, length: number): Uint8Array {
  const buf = new Uint8Array(Math.max(0, length));
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function clearDeferBits(view: DataView, flagsAt: number, le: boolean): void {
  if (flagsAt + 8 > view.byteLength) return;
  view.setBigUint64(flagsAt, view.getBigUint64(flagsAt, le) & ~DEFER_BITS, le);
}

function clearDeferBitsInAttrs(
  head: Uint8Array,
  reader: PerfDataReader,
  offset: number,
  size: number,
  entry: number,
): void {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  for (
    let at = offset;
    entry > 16 && at + entry <= offset + size && at + entry <= head.length;
    at += entry
  ) {
    clearDeferBits(view, at + 40, reader.header.littleEndian);
  }
}

/** HEADER_EVENT_DESC: u32 nr, u32 attr_size, then per event: attr, u32 nr_ids, string, ids. */
function clearDeferBitsInEventDesc(bytes: Uint8Array, le: boolean): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) return;
  const nr = v.getUint32(0, le);
  const attrSize = v.getUint32(4, le);
  let p = 8;
  for (let i = 0; i < nr && p + attrSize + 8 <= bytes.length; i++) {
    clearDeferBits(v, p + 40, le);
    p += attrSize;
    const nrIds = v.getUint32(p, le);
    const len = v.getUint32(p + 4, le);
    p += 8 + len + 8 * nrIds;
  }
}

/** Byte offset of the callchain's `nr` in a sample record (perf's field order). */
function callchainOffset(bytes: Uint8Array, event: EventDesc, le: boolean): number {
  const t = event.attr.sampleType;
  let p = 8;
  for (const bit of [
    SampleType.IDENTIFIER,
    SampleType.IP,
    SampleType.TID,
    SampleType.TIME,
    SampleType.ADDR,
    SampleType.ID,
    SampleType.STREAM_ID,
    SampleType.CPU,
    SampleType.PERIOD,
  ]) {
    if (t & bit) p += 8;
  }
  if (t & SampleType.READ) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const rf = event.attr.readFormat;
    const per = 8 * (1 + (rf & ReadFormat.ID ? 1 : 0) + (rf & ReadFormat.LOST ? 1 : 0));
    const times =
      8 *
      ((rf & ReadFormat.TOTAL_TIME_ENABLED ? 1 : 0) + (rf & ReadFormat.TOTAL_TIME_RUNNING ? 1 : 0));
    if (rf & ReadFormat.GROUP) p += 8 + times + per * Number(v.getBigUint64(p, le));
    else p += times + per;
  }
  return p;
}

/**
 * The sample with its callchain replaced: `[…, USER_DEFERRED, cookie]` becomes
 * `[…, PERF_CONTEXT_USER, ips…]` (merged) or `[…]` (the user stack never came).
 */
function rewriteSample(
  bytes: Uint8Array,
  reader: PerfDataReader,
  merged: U64Words | undefined,
): Uint8Array {
  const le = reader.header.littleEndian;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const event = reader.events.forId(sampleId(v, reader, le)) ?? reader.events.first!;
  const at = callchainOffset(bytes, event, le);
  const nr = Number(v.getBigUint64(at, le));
  const kernelWords = nr - 2; // without [USER_DEFERRED, cookie]
  const tail = bytes.subarray(at + 8 + 8 * nr);
  let entries: number[][];
  if (merged) {
    // The merged chain is the sample's entries except the cookie, then the record's ips; its
    // USER_DEFERRED marker (entry kernelWords) becomes PERF_CONTEXT_USER.
    entries = [];
    for (let i = 0; i < wordsLength(merged); i++) {
      entries.push(i === kernelWords ? CONTEXT_USER : [merged[2 * i]!, merged[2 * i + 1]!]);
    }
  } else {
    entries = [];
    for (let i = 0; i < kernelWords; i++) {
      const lo = le ? v.getUint32(at + 8 + 8 * i, le) : v.getUint32(at + 12 + 8 * i, le);
      const hi = le ? v.getUint32(at + 12 + 8 * i, le) : v.getUint32(at + 8 + 8 * i, le);
      entries.push([lo, hi]);
    }
  }
  const out = new Uint8Array(at + 8 + 8 * entries.length + tail.length);
  out.set(bytes.subarray(0, at), 0);
  const ov = new DataView(out.buffer);
  ov.setBigUint64(at, BigInt(entries.length), le);
  entries.forEach(([lo, hi], i) => {
    ov.setUint32(at + 8 + 8 * i + (le ? 0 : 4), lo!, le);
    ov.setUint32(at + 8 + 8 * i + (le ? 4 : 0), hi!, le);
  });
  out.set(tail, at + 8 + 8 * entries.length);
  ov.setUint16(6, out.length, le);
  return out;
}

function sampleId(v: DataView, reader: PerfDataReader, le: boolean): number {
  const idPos = reader.events.idPos;
  if (idPos < 0 || reader.events.events.length === 1) return 0;
  return Number(v.getBigUint64(8 + 8 * idPos, le));
}
