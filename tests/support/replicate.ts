/**
 * Makes a large recording from a real one: its data section repeated `copies` times, each copy's
 * timestamps shifted past the previous copy's, so it reads as one long recording of the same
 * threads. Little-endian file-mode recordings without compressed data; the feature sections are
 * kept (their offsets moved). Used by the scale tests and `scripts/replicate.ts`.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const SAMPLE_BITS = { IDENTIFIER: 1 << 16, IP: 1, TID: 2, TIME: 4 };

export function replicate(inPath: string, outPath: string, copies: number): { bytes: number } {
  const fd = openSync(inPath, 'r');
  const read = (off: number, len: number): Buffer => {
    const b = Buffer.alloc(len);
    let got = 0;
    while (got < len) {
      const n = readSync(fd, b, got, len - got, off + got);
      if (n === 0) break;
      got += n;
    }
    return b;
  };
  const header = read(0, 104);
  if (header.toString('latin1', 0, 8) !== 'PERFILE2' || header.readBigUInt64LE(8) !== 104n) {
    throw new Error('replicate: little-endian file-mode recordings only');
  }
  const attrSize = Number(header.readBigUInt64LE(16));
  const attrsOffset = Number(header.readBigUInt64LE(24));
  const dataOffset = Number(header.readBigUInt64LE(40));
  const dataSize = Number(header.readBigUInt64LE(48));
  const attr = read(attrsOffset, attrSize);
  const sampleType = Number(attr.readBigUInt64LE(24));
  const sampleIdAll = (attr.readBigUInt64LE(40) >> 18n) & 1n;
  const head = read(0, dataOffset);
  const data = read(dataOffset, dataSize);
  const fileSize = (() => {
    let end = dataOffset + dataSize;
    for (;;) {
      const n = readSync(fd, Buffer.alloc(1 << 16), 0, 1 << 16, end);
      if (n === 0) return end;
      end += n;
    }
  })();
  const tail = read(dataOffset + dataSize, fileSize - dataOffset - dataSize);
  closeSync(fd);

  // Where each record keeps its time, and the span of the recording's times.
  const sampleTimeAt =
    8 +
    8 *
      ((sampleType & SAMPLE_BITS.IDENTIFIER ? 1 : 0) +
        (sampleType & SAMPLE_BITS.IP ? 1 : 0) +
        (sampleType & SAMPLE_BITS.TID ? 1 : 0));
  let trailer = 0;
  for (const bit of [2, 4, 64, 512, 128, 1 << 16]) if (sampleType & bit) trailer += 8;
  const trailerTimeAt = sampleType & SAMPLE_BITS.TID ? 8 : 0;
  const timeFields: number[] = [];
  for (let p = 0; p + 8 <= data.length;) {
    const type = data.readUInt32LE(p);
    const size = data.readUInt16LE(p + 6);
    if (size < 8) throw new Error(`replicate: corrupt record at ${dataOffset + p}`);
    if (sampleType & SAMPLE_BITS.TIME) {
      if (type === 9) timeFields.push(p + sampleTimeAt);
      else if (type < 64 && sampleIdAll) timeFields.push(p + size - trailer + trailerTimeAt);
    }
    if (type === 4 || type === 7) timeFields.push(p + 24); // FORK/EXIT's own time
    if (type === 81 || type === 83)
      throw new Error('replicate: compressed recordings are not supported');
    p += size;
  }
  let first = 2n ** 64n;
  let last = 0n;
  for (const at of timeFields) {
    const t = data.readBigUInt64LE(at);
    if (t === 0n || t === 2n ** 64n - 1n) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const span = last - first + 1_000_000n;

  const out = openSync(outPath, 'w');
  let pos = 0;
  const write = (b: Buffer): void => {
    writeSync(out, b, 0, b.length, pos);
    pos += b.length;
  };
  const newHead = Buffer.from(head);
  newHead.writeBigUInt64LE(BigInt(dataSize * copies), 48);
  write(newHead);
  for (let k = 0; k < copies; k++) {
    const copy = k === 0 ? data : Buffer.from(data);
    if (k > 0) {
      const shift = span * BigInt(k);
      for (const at of timeFields) {
        const t = copy.readBigUInt64LE(at);
        // records perf synthesized at the start carry no time: in later copies they belong at
        // the copy's start, not before everything
        if (t === 0n) copy.writeBigUInt64LE(first + shift - 1n, at);
        else if (t !== 2n ** 64n - 1n) copy.writeBigUInt64LE(t + shift, at);
      }
    }
    write(copy);
  }
  // feature section table: offsets move by the added data
  const delta = BigInt(dataSize * (copies - 1));
  const newTail = Buffer.from(tail);
  let features = 0;
  for (let w = 0; w < 4; w++)
    for (let x = header.readBigUInt64LE(72 + 8 * w); x; x >>= 1n) features += Number(x & 1n);
  for (let i = 0; i < features && 16 * i + 8 <= newTail.length; i++) {
    newTail.writeBigUInt64LE(newTail.readBigUInt64LE(16 * i) + delta, 16 * i);
  }
  write(newTail);
  closeSync(out);
  return { bytes: pos };
}
