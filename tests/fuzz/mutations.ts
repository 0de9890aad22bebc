/**
 * Damage done to real recordings for the fuzz tests: every kind of breakage a perf.data meets in
 * the wild (full disks, killed recorders, other tools' bugs, other machines). All work on
 * little-endian file-mode recordings and return a new byte array.
 */

export interface RecordSpan {
  offset: number;
  size: number;
  type: number;
}

export interface Layout {
  dataOffset: number;
  dataEnd: number;
  records: RecordSpan[];
}

export function layout(file: Uint8Array): Layout {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const pipe = v.getBigUint64(8, true) === 16n;
  const dataOffset = pipe ? 16 : Number(v.getBigUint64(40, true));
  const dataEnd = pipe ? file.length : dataOffset + Number(v.getBigUint64(48, true));
  const records: RecordSpan[] = [];
  for (let p = dataOffset; p + 8 <= dataEnd;) {
    const size = v.getUint16(p + 6, true);
    if (size < 8) break;
    const type = v.getUint32(p, true);
    records.push({ offset: p, size, type });
    // pipe mode: HEADER_TRACING_DATA is followed by its data, outside header.size
    if (type === 66) {
      const extra = v.getUint32(p + 8, true);
      p += size + extra + ((8 - (extra % 8)) % 8);
      continue;
    }
    p += size;
  }
  return { dataOffset, dataEnd, records };
}

export function flipBytes(file: Uint8Array, positions: number[], xor: number[]): Uint8Array {
  const out = Uint8Array.from(file);
  positions.forEach((p, i) => {
    const at = p % out.length;
    out[at] = out[at]! ^ (xor[i % xor.length]! || 0xff);
  });
  return out;
}

export function truncate(file: Uint8Array, at: number): Uint8Array {
  return file.slice(0, Math.max(0, Math.min(at, file.length)));
}

export function setU16(file: Uint8Array, at: number, value: number): Uint8Array {
  const out = Uint8Array.from(file);
  new DataView(out.buffer).setUint16(at, value, true);
  return out;
}

export function setU64(file: Uint8Array, at: number, value: bigint): Uint8Array {
  const out = Uint8Array.from(file);
  if (at + 8 <= out.length) new DataView(out.buffer).setBigUint64(at, value, true);
  return out;
}

/** The big-endian magic on a little-endian file: every field then reads byte-swapped. */
export function swapMagic(file: Uint8Array): Uint8Array {
  const out = Uint8Array.from(file);
  out.set(new TextEncoder().encode('2ELIFREP'), 0);
  return out;
}

/** Rebuilds the data section from a new record list, fixing the header and feature offsets. */
export function withRecords(file: Uint8Array, l: Layout, records: Uint8Array[]): Uint8Array {
  const data = concat(records);
  if (l.dataOffset === 16) return concat([file.slice(0, 16), data]); // pipe mode: no header to fix
  const delta = data.length - (l.dataEnd - l.dataOffset);
  const tail = file.slice(l.dataEnd);
  const tv = new DataView(tail.buffer);
  // the feature section table: {offset, size} pairs, offsets move with the data's end
  const flags = new DataView(file.buffer, file.byteOffset).getBigUint64(72, true);
  let n = 0;
  for (let f = flags; f; f >>= 1n) n += Number(f & 1n);
  for (let i = 0; i < n && 16 * i + 8 <= tail.length; i++) {
    tv.setBigUint64(16 * i, tv.getBigUint64(16 * i, true) + BigInt(delta), true);
  }
  const head = file.slice(0, l.dataOffset);
  new DataView(head.buffer).setBigUint64(48, BigInt(data.length), true);
  return concat([head, data, tail]);
}

export function recordBytes(file: Uint8Array, l: Layout): Uint8Array[] {
  return l.records.map((r) => file.subarray(r.offset, r.offset + r.size));
}

export function duplicateRecord(file: Uint8Array, l: Layout, i: number): Uint8Array {
  const recs = recordBytes(file, l);
  const k = i % recs.length;
  recs.splice(k, 0, recs[k]!);
  return withRecords(file, l, recs);
}

export function swapRecords(file: Uint8Array, l: Layout, i: number, j: number): Uint8Array {
  const recs = recordBytes(file, l);
  const a = i % recs.length;
  const b = j % recs.length;
  [recs[a], recs[b]] = [recs[b]!, recs[a]!];
  return withRecords(file, l, recs);
}

export function dropRounds(file: Uint8Array, l: Layout): Uint8Array {
  return withRecords(
    file,
    l,
    recordBytes(file, l).filter((_, i) => l.records[i]!.type !== 68),
  );
}

/** A CALLCHAIN_DEFERRED record claiming `nr` entries (far more than its size holds). */
export function insertHugeDeferred(
  file: Uint8Array,
  l: Layout,
  at: number,
  nr: bigint,
): Uint8Array {
  const rec = new Uint8Array(40);
  const v = new DataView(rec.buffer);
  v.setUint32(0, 22, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, rec.length, true);
  v.setBigUint64(8, 0x1234n, true);
  v.setBigUint64(16, nr, true);
  const recs = recordBytes(file, l);
  recs.splice(at % (recs.length + 1), 0, rec);
  return withRecords(file, l, recs);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
