/**
 * deferify: rewrites a classic `perf record -g` recording (file mode, little-endian) into the
 * Linux 6.19 deferred-callchain format, the way the kernel would have written it: every sample's
 * `[PERF_CONTEXT_USER, u0..uM]` becomes `[PERF_CONTEXT_USER_DEFERRED, cookie]`, consecutive
 * in-kernel samples of one thread with the same user stack share a cookie, and one
 * PERF_RECORD_CALLCHAIN_DEFERRED record per cookie carrying `u0..uM` follows the last sample that
 * uses it. Merging the result must give back the original callchains.
 *
 * Used by the benchmark (a deferred version of the large recording) and to make sample
 * recordings. usage: node --import tsx scripts/deferify.ts IN OUT
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const USER = 0xffff_ffff_ffff_fe00n;
const USER_DEFERRED = 0xffff_ffff_ffff_fd80n;
const ST = {
  IP: 1,
  TID: 2,
  TIME: 4,
  ADDR: 8,
  READ: 16,
  CALLCHAIN: 32,
  ID: 64,
  CPU: 128,
  PERIOD: 256,
  STREAM_ID: 512,
  IDENTIFIER: 1 << 16,
};

export function deferify(input: Uint8Array): Uint8Array {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf.toString('latin1', 0, 8) !== 'PERFILE2' || buf.readBigUInt64LE(8) !== 104n) {
    throw new Error('deferify: only little-endian file-mode recordings');
  }
  const attrSize = Number(buf.readBigUInt64LE(16));
  const attrsOff = Number(buf.readBigUInt64LE(24));
  const attrsLen = Number(buf.readBigUInt64LE(32));
  const dataOff = Number(buf.readBigUInt64LE(40));
  const dataLen = Number(buf.readBigUInt64LE(48));
  const out = Buffer.from(buf.subarray(0, dataOff)); // header, attrs, ids: copied, then patched

  // attrs: defer_callchain (bit 38) where callchains are sampled, defer_output (bit 39) on the
  // first attr that carries the side-band records (mmap/comm/task).
  const attrs: { sampleType: number; flags: bigint; id: bigint }[] = [];
  for (let off = attrsOff; off < attrsOff + attrsLen; off += attrSize) {
    const sampleType = Number(buf.readBigUInt64LE(off + 24));
    const flags = buf.readBigUInt64LE(off + 40);
    const idsOff = Number(buf.readBigUInt64LE(off + attrSize - 16));
    attrs.push({ sampleType, flags, id: buf.readBigUInt64LE(idsOff) });
  }
  const outputIdx = Math.max(
    0,
    attrs.findIndex((a) => (a.flags >> 8n) & 1n || (a.flags >> 9n) & 1n || (a.flags >> 13n) & 1n),
  );
  const setFlags = (b: Buffer, off: number, i: number, a: (typeof attrs)[number]): void => {
    let f = a.flags;
    if (a.sampleType & ST.CALLCHAIN) f |= 1n << 38n;
    if (i === outputIdx) f |= 1n << 39n;
    b.writeBigUInt64LE(f, off + 40);
  };
  attrs.forEach((a, i) => setFlags(out, attrsOff + i * attrSize, i, a));
  const first = attrs[0]!;
  const out0 = attrs[outputIdx]!;
  if (attrs.some((a) => a.sampleType !== first.sampleType))
    throw new Error('deferify: attrs with different sample_type');
  const st = first.sampleType;
  // PERF_SAMPLE_READ (leader sampling): the read values sit between PERIOD and the callchain
  const readFormat = Number(buf.readBigUInt64LE(attrsOff + 32));
  if (
    attrs.some((_, i) => buf.readBigUInt64LE(attrsOff + i * attrSize + 32) !== BigInt(readFormat))
  )
    throw new Error('deferify: attrs with different read_format');
  if (!(st & ST.CALLCHAIN)) throw new Error('deferify: the recording has no callchains');
  // u64 slots before the callchain's nr
  let nrSlot = 0;
  for (const bit of [
    ST.IDENTIFIER,
    ST.IP,
    ST.TID,
    ST.TIME,
    ST.ADDR,
    ST.ID,
    ST.STREAM_ID,
    ST.CPU,
    ST.PERIOD,
  ])
    if (st & bit) nrSlot++;
  /** Byte size of the sample's read_format values at `at` (struct read_format). */
  const readSize = (at: number): number => {
    if (!(st & ST.READ)) return 0;
    const times = (readFormat & 1 ? 8 : 0) + (readFormat & 2 ? 8 : 0); // TOTAL_TIME_ENABLED/RUNNING
    const each = 8 + (readFormat & 4 ? 8 : 0) + (readFormat & 16 ? 8 : 0); // value, ID, LOST
    if (!(readFormat & 8)) return each + times; // one counter
    return 8 + times + each * Number(buf.readBigUInt64LE(at)); // GROUP: nr, times, values
  };
  /** Offset of the callchain's nr in the sample whose body starts at `body`. */
  const nrAt = (body: number): number => body + 8 * nrSlot + readSize(body + 8 * nrSlot);
  const slot = (bit: number): number => {
    let n = 0;
    for (const b of [
      ST.IDENTIFIER,
      ST.IP,
      ST.TID,
      ST.TIME,
      ST.ADDR,
      ST.ID,
      ST.STREAM_ID,
      ST.CPU,
      ST.PERIOD,
    ]) {
      if (b === bit) return n;
      if (st & b) n++;
    }
    return -1;
  };

  interface Info {
    off: number;
    size: number;
    tid: number;
    key: string;
    userAt: number;
    nr: number;
    cookie?: bigint;
    last?: boolean;
  }
  const samples: Info[] = [];
  const open = new Map<number, Info[]>();
  let cookies = 0n;
  const close = (group: Info[] | undefined): void => {
    if (!group || group.length === 0) return;
    const cookie = (++cookies << 32n) | 1n;
    for (const s of group) s.cookie = cookie;
    group[group.length - 1]!.last = true;
  };
  for (let off = dataOff; off < dataOff + dataLen;) {
    const type = buf.readUInt32LE(off);
    const size = buf.readUInt16LE(off + 6);
    if (type === 81 || type === 83)
      throw new Error('deferify: compressed recordings are not supported');
    if (type === 9) {
      const body = off + 8;
      const tid = st & ST.TID ? buf.readInt32LE(body + 8 * slot(ST.TID) + 4) : -1;
      const nr = Number(buf.readBigUInt64LE(nrAt(body)));
      let userAt = -1;
      for (let i = 0; i < nr; i++)
        if (buf.readBigUInt64LE(nrAt(body) + 8 + 8 * i) === USER) userAt = i;
      if (userAt >= 0) {
        const key = buf.toString('hex', nrAt(body) + 8 + 8 * userAt, nrAt(body) + 8 + 8 * nr);
        const info: Info = { off, size, tid, key, userAt, nr };
        const inKernel = (buf.readUInt16LE(off + 4) & 7) === 1;
        const group = open.get(tid);
        if (inKernel && group?.[0]?.key === key) group!.push(info);
        else {
          close(group);
          open.set(tid, inKernel ? [info] : []);
          if (!inKernel) close([info]);
        }
        samples.push(info);
      }
    }
    off += size;
  }
  for (const g of open.values()) close(g);

  const byOff = new Map(samples.map((s) => [s.off, s]));
  const chunks: Buffer[] = [];
  for (let off = dataOff; off < dataOff + dataLen;) {
    const size = buf.readUInt16LE(off + 6);
    const s = byOff.get(off);
    if (!s) {
      chunks.push(buf.subarray(off, off + size));
      off += size;
      continue;
    }
    const body = off + 8;
    const chainStart = nrAt(body) + 8;
    const userWords = s.nr - s.userAt; // marker + user entries
    const sample = Buffer.alloc(size - 8 * userWords + 16);
    buf.copy(sample, 0, off, chainStart + 8 * s.userAt);
    sample.writeBigUInt64LE(USER_DEFERRED, chainStart - off + 8 * s.userAt);
    sample.writeBigUInt64LE(s.cookie!, chainStart - off + 8 * s.userAt + 8);
    buf.copy(sample, chainStart - off + 8 * s.userAt + 16, chainStart + 8 * s.nr, off + size);
    sample.writeUInt16LE(sample.length, 6);
    new DataView(sample.buffer, sample.byteOffset).setBigUint64(
      nrAt(body) - off,
      BigInt(s.userAt + 2),
      true,
    );
    chunks.push(sample);
    if (s.last) {
      const ips = buf.subarray(chainStart + 8 * (s.userAt + 1), chainStart + 8 * s.nr);
      const trailer: bigint[] = [];
      const sampleU64 = (bit: number): bigint => buf.readBigUInt64LE(body + 8 * slot(bit));
      if ((out0.flags >> 18n) & 1n) {
        if (out0.sampleType & ST.TID) trailer.push(sampleU64(ST.TID));
        if (out0.sampleType & ST.TIME) trailer.push(sampleU64(ST.TIME) + 1n);
        if (out0.sampleType & ST.ID) trailer.push(out0.id);
        if (out0.sampleType & ST.STREAM_ID) trailer.push(out0.id);
        if (out0.sampleType & ST.CPU) trailer.push(st & ST.CPU ? sampleU64(ST.CPU) : 0n);
        if (out0.sampleType & ST.IDENTIFIER) trailer.push(out0.id);
      }
      const rec = Buffer.alloc(8 + 16 + ips.length + 8 * trailer.length);
      rec.writeUInt32LE(22, 0);
      rec.writeUInt16LE(2, 4);
      rec.writeUInt16LE(rec.length, 6);
      rec.writeBigUInt64LE(s.cookie!, 8);
      rec.writeBigUInt64LE(BigInt(ips.length / 8), 16);
      ips.copy(rec, 24);
      trailer.forEach((v, i) => rec.writeBigUInt64LE(v, 24 + ips.length + 8 * i));
      chunks.push(rec);
    }
    off += size;
  }
  const data = Buffer.concat(chunks);
  const delta = data.length - dataLen;
  const tail = Buffer.from(buf.subarray(dataOff + dataLen));
  // the feature section table follows the data; every feature section moves by delta
  const features = buf.readBigUInt64LE(72);
  let nFeat = 0;
  for (let w = 0; w < 4; w++) {
    let x = buf.readBigUInt64LE(72 + 8 * w);
    while (x) {
      nFeat += Number(x & 1n);
      x >>= 1n;
    }
  }
  void features;
  for (let i = 0; i < nFeat; i++)
    tail.writeBigUInt64LE(tail.readBigUInt64LE(16 * i) + BigInt(delta), 16 * i);
  out.writeBigUInt64LE(BigInt(data.length), 48);
  return Buffer.concat([out, data, tail]);
}

// only when run as a script: the tests import deferify() and must not have their argv read
const asScript =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const [inPath, outPath] = asScript ? process.argv.slice(2) : [];
if (inPath && outPath) {
  const result = deferify(readFileSync(inPath));
  writeFileSync(outPath, result);
  process.stderr.write(`deferify: ${inPath} -> ${outPath} (${result.length} bytes)\n`);
}
