/**
 * zstd data written by hand, for decompression bombs: 20 bytes that expand to 128 KiB of valid
 * perf records. Each block is a Compressed_Block (RFC 8878 §3.1.1.3) holding
 *
 *   literals:  Raw_Literals_Block of 8 bytes: one PERF_RECORD_FINISHED_ROUND header
 *   sequences: one sequence, every table in RLE mode (no entropy tables to write):
 *              literal length 8, offset 8, match length 131064 (copy the 8 bytes over and over)
 *
 * so 128 KiB of FINISHED_ROUND records (16384 of them) per 20 bytes: a 64 KB COMPRESSED record
 * expands to 410 MB.
 */
const BLOCK_OUTPUT = 128 << 10;
const RECORD = [68, 0, 0, 0, 0, 0, 8, 0]; // perf_event_header { type 68, misc 0, size 8 }

/** One block producing BLOCK_OUTPUT bytes of FINISHED_ROUND records. */
export function finishedRoundsBlock(last = false): Uint8Array {
  const matchLength = BLOCK_OUTPUT - RECORD.length;
  // Match_Length code 52: baseline 65539 plus 16 extra bits.
  const mlExtra = matchLength - 65539;
  // Offset_Value = offset + 3 = 11: Offset_Code 3 (2^3 ≤ 11), extra bits 11 - 8 = 3.
  const ofExtra = 3;
  // The bitstream is read backwards from its end marker: offset bits first, then match length
  // (literal length has none); written forwards, that is match length, offset, the marker.
  const bits = mlExtra | (ofExtra << 16) | (1 << 19);
  const content = [
    RECORD.length << 3, // literals header: Raw_Literals_Block, Regenerated_Size 8
    ...RECORD,
    1, // Number_of_Sequences
    (1 << 6) | (1 << 4) | (1 << 2), // Literals_Lengths, Offsets, Match_Lengths: RLE_Mode
    8, // the literal length code (8)
    3, // the offset code
    52, // the match length code
    bits & 0xff,
    (bits >> 8) & 0xff,
    bits >> 16,
  ];
  const header = (content.length << 3) | (2 << 1) | (last ? 1 : 0); // Compressed_Block
  return Uint8Array.from([header & 0xff, (header >> 8) & 0xff, header >> 16, ...content]);
}

/** A zstd frame header: no checksum, no content size, the given window. */
export function frameHeader(windowLog = 17): Uint8Array {
  return Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (windowLog - 10) << 3]);
}

/** PERF_RECORD_COMPRESSED (type 81): header, then zstd data (little-endian). */
export function compressedRecord(data: Uint8Array): Uint8Array {
  const size = 8 + data.length;
  if (size > 0xffff) throw new Error(`a record holds at most 65535 bytes, not ${size}`);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 81, true);
  v.setUint16(6, size, true);
  out.set(data, 8);
  return out;
}

/** COMPRESSED records of `blocks` bomb blocks each (at most 3276 fit in one record). */
export function bombRecords(records: number, blocks: number): Uint8Array[] {
  const block = finishedRoundsBlock();
  return Array.from({ length: records }, () => {
    const data = new Uint8Array(blocks * block.length);
    for (let i = 0; i < blocks; i++) data.set(block, i * block.length);
    return compressedRecord(data);
  });
}

/**
 * A file-mode perf.data with records appended to its data section: the feature sections after
 * it move, and the header's data size and the feature table's offsets with them.
 */
export function appendRecords(file: Uint8Array, records: Uint8Array[]): Uint8Array {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const dataOffset = Number(v.getBigUint64(40, true));
  const dataSize = Number(v.getBigUint64(48, true));
  const end = dataOffset + dataSize;
  const added = records.reduce((n, r) => n + r.length, 0);
  // adds_features: a 256-bit map at offset 72, one {offset, size} entry per set bit.
  const features = [0, 1, 2, 3].reduce((n, w) => n + popcount(v.getBigUint64(72 + 8 * w, true)), 0);
  const out = new Uint8Array(file.length + added);
  out.set(file.subarray(0, end), 0);
  let at = end;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  out.set(file.subarray(end), at);
  const o = new DataView(out.buffer);
  o.setBigUint64(48, BigInt(dataSize + added), true);
  for (let i = 0; i < features; i++) {
    const entry = at + 16 * i;
    o.setBigUint64(entry, o.getBigUint64(entry, true) + BigInt(added), true);
  }
  return out;
}

function popcount(word: bigint): number {
  let n = 0;
  for (let w = word; w > 0n; w >>= 1n) n += Number(w & 1n);
  return n;
}
