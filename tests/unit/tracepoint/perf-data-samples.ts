/**
 * TEST SUPPORT ONLY. A minimal perf.data (file mode) reader for the tracepoint tests, until the
 * real reader in src/session/perf-data exists: it pulls out the HEADER_TRACING_DATA feature
 * section and, in file order, each PERF_RECORD_SAMPLE's attr config, tid, cpu, time and RAW
 * payload. Little-endian files only; no pipe mode, no compression.
 */
import { readFileSync } from 'node:fs';

const HEADER_TRACING_DATA = 1;
const PERF_RECORD_SAMPLE = 9;

const SAMPLE = {
  IP: 1n << 0n,
  TID: 1n << 1n,
  TIME: 1n << 2n,
  ADDR: 1n << 3n,
  READ: 1n << 4n,
  CALLCHAIN: 1n << 5n,
  ID: 1n << 6n,
  CPU: 1n << 7n,
  PERIOD: 1n << 8n,
  STREAM_ID: 1n << 9n,
  RAW: 1n << 10n,
  IDENTIFIER: 1n << 16n,
};

export interface TestAttr {
  readonly config: bigint;
  readonly sampleType: bigint;
  readonly ids: readonly bigint[];
}

export interface TestSample {
  /** Byte offset of the record in the file. */
  readonly fileOffset: number;
  readonly config: bigint;
  readonly pid: number;
  readonly tid: number;
  readonly cpu: number;
  readonly time: bigint;
  readonly raw: Uint8Array;
}

export interface TestPerfData {
  readonly tracingData: Uint8Array;
  /** File offset of the tracing data section. */
  readonly tracingDataOffset: number;
  readonly attrs: readonly TestAttr[];
  readonly samples: readonly TestSample[];
}

export function readTestPerfData(path: string): TestPerfData {
  const file = new Uint8Array(readFileSync(path));
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const u64 = (o: number): bigint => v.getBigUint64(o, true);
  const num = (o: number): number => Number(u64(o));
  const magic = new TextDecoder().decode(file.subarray(0, 8));
  if (magic !== 'PERFILE2') throw new Error(`not a little-endian perf.data file: ${magic}`);

  const attrSize = num(16);
  const attrsOffset = num(24);
  const attrsSize = num(32);
  const dataOffset = num(40);
  const dataSize = num(48);

  // Feature sections follow the data, one {offset, size} per set bit, in bit order.
  let featureIndex = 0;
  let tracing: { offset: number; size: number } | undefined;
  for (let bit = 0; bit < 256; bit++) {
    const word = u64(72 + 8 * Math.floor(bit / 64));
    if (((word >> BigInt(bit % 64)) & 1n) === 0n) continue;
    const entry = dataOffset + dataSize + 16 * featureIndex++;
    if (bit === HEADER_TRACING_DATA) tracing = { offset: num(entry), size: num(entry + 8) };
  }
  if (!tracing) throw new Error('no HEADER_TRACING_DATA feature section');

  const attrs: TestAttr[] = [];
  for (let a = attrsOffset; a < attrsOffset + attrsSize; a += attrSize) {
    const idsOffset = num(a + attrSize - 16);
    const idsSize = num(a + attrSize - 8);
    const ids: bigint[] = [];
    for (let i = 0; i < idsSize; i += 8) ids.push(u64(idsOffset + i));
    attrs.push({ config: u64(a + 8), sampleType: u64(a + 24), ids });
  }
  const attrById = new Map<bigint, TestAttr>();
  for (const attr of attrs) for (const id of attr.ids) attrById.set(id, attr);

  const samples: TestSample[] = [];
  for (let r = dataOffset; r < dataOffset + dataSize;) {
    const type = v.getUint32(r, true);
    const size = v.getUint16(r + 6, true);
    if (size < 8) throw new Error(`bad record size ${size} at ${r}`);
    if (type === PERF_RECORD_SAMPLE) samples.push(parseSample(r, size));
    r += size;
  }
  return {
    tracingData: file.subarray(tracing.offset, tracing.offset + tracing.size),
    tracingDataOffset: tracing.offset,
    attrs,
    samples,
  };

  function parseSample(start: number, size: number): TestSample {
    // All attrs of one file share the sample_type layout up to ID, which finds the attr.
    const layout = attrs[0]?.sampleType ?? 0n;
    const has = (t: bigint, bit: bigint) => (t & bit) !== 0n;
    let p = start + 8;
    let id: bigint | undefined;
    if (has(layout, SAMPLE.IDENTIFIER)) {
      id = u64(p);
      p += 8;
    }
    // The kernel's order (perf_output_sample), not the bit order.
    if (has(layout, SAMPLE.IP)) p += 8;
    let pid = -1;
    let tid = -1;
    if (has(layout, SAMPLE.TID)) {
      pid = v.getInt32(p, true);
      tid = v.getInt32(p + 4, true);
      p += 8;
    }
    let time = 0n;
    if (has(layout, SAMPLE.TIME)) {
      time = u64(p);
      p += 8;
    }
    if (has(layout, SAMPLE.ADDR)) p += 8;
    if (has(layout, SAMPLE.ID)) {
      id = u64(p);
      p += 8;
    }
    if (has(layout, SAMPLE.STREAM_ID)) p += 8;
    let cpu = -1;
    if (has(layout, SAMPLE.CPU)) {
      cpu = v.getUint32(p, true);
      p += 8;
    }
    if (has(layout, SAMPLE.PERIOD)) p += 8;
    if (has(layout, SAMPLE.READ)) throw new Error('PERF_SAMPLE_READ is not supported here');
    if (has(layout, SAMPLE.CALLCHAIN)) p += 8 + 8 * num(p);
    if (!has(layout, SAMPLE.RAW)) throw new Error('sample without PERF_SAMPLE_RAW');
    const rawSize = v.getUint32(p, true);
    const raw = file.subarray(p + 4, p + 4 + rawSize);
    if (p + 4 + rawSize > start + size) throw new Error(`RAW overruns the record at ${start}`);
    const attr = (id !== undefined ? attrById.get(id) : undefined) ?? attrs[0];
    if (!attr) throw new Error(`no attr for sample at ${start}`);
    return { fileOffset: start, config: attr.config, pid, tid, cpu, time, raw };
  }
}
