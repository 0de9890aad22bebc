/**
 * Test helper: the MMAP/MMAP2 records of a (non-pipe, uncompressed)
 * perf.data file, to turn a sample's absolute ip into perf's map_ip.
 * Only what the symbol tests need; the real reader lives elsewhere.
 */
import fs from 'node:fs';

export interface MmapRecord {
  pid: number;
  start: bigint;
  len: bigint;
  pgoff: bigint;
  filename: string;
}

const PERF_RECORD_MMAP = 1;
const PERF_RECORD_MMAP2 = 10;

export function readMmaps(file: string): MmapRecord[] {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 8) !== 'PERFILE2') throw new Error(`${file}: not a perf.data file`);
  // struct perf_file_header: magic, size, attr_size, attrs{offset,size}, data{offset,size}, ...
  const dataOffset = Number(buf.readBigUInt64LE(40));
  const dataSize = Number(buf.readBigUInt64LE(48));
  const out: MmapRecord[] = [];
  for (let p = dataOffset; p + 8 <= dataOffset + dataSize;) {
    const type = buf.readUInt32LE(p);
    const size = buf.readUInt16LE(p + 6);
    if (size < 8) throw new Error(`${file}: record of size ${size} at ${p}`);
    if (type === PERF_RECORD_MMAP || type === PERF_RECORD_MMAP2) {
      const nameAt = type === PERF_RECORD_MMAP ? p + 40 : p + 72;
      const end = buf.indexOf(0, nameAt);
      out.push({
        pid: buf.readInt32LE(p + 8),
        start: buf.readBigUInt64LE(p + 16),
        len: buf.readBigUInt64LE(p + 24),
        pgoff: buf.readBigUInt64LE(p + 32),
        filename: buf.toString('utf8', nameAt, end),
      });
    }
    p += size;
  }
  return out;
}
