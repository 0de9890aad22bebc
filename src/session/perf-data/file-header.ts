import { Cursor } from './cursor';
import { PerfDataError } from './errors';
import { FEATURE_BITS } from './constants';

/**
 * struct perf_file_header (tools/perf/util/header.h), 104 bytes:
 *    0 u64 magic "PERFILE2"     8 u64 size (of this header)   16 u64 attr_size
 *   24 perf_file_section attrs {u64 offset, u64 size}
 *   40 perf_file_section data
 *   56 perf_file_section event_types (unused since 2012)
 *   72 u64 adds_features[4]      (bitmap of feature sections after the data)
 * A pipe-mode stream starts with struct perf_pipe_file_header { u64 magic; u64 size = 16; }.
 */
export interface FileSection {
  offset: number;
  size: number;
}

export interface FileHeader {
  littleEndian: boolean;
  pipe: boolean;
  headerSize: number;
  attrSize: number;
  attrs: FileSection;
  data: FileSection;
  eventTypes: FileSection;
  /** Feature bits set in adds_features. */
  features: number[];
}

export const PIPE_HEADER_SIZE = 16;
export const FILE_HEADER_SIZE = 104;

const MAGIC_LE = 'PERFILE2';
const MAGIC_BE = '2ELIFREP';
const MAGIC_V1 = 'PERFFILE';

/** Which byte order (and format) the first 8 bytes announce. */
export function detectMagic(first8: Uint8Array): 'le' | 'be' | 'v1' | 'unknown' {
  const s = String.fromCharCode(...first8.subarray(0, 8));
  if (s === MAGIC_LE) return 'le';
  if (s === MAGIC_BE) return 'be';
  if (s === MAGIC_V1) return 'v1';
  return 'unknown';
}

export function describeMagic(first8: Uint8Array): string {
  const printable = Array.from(first8.subarray(0, 8), (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.',
  ).join('');
  const hexed = Array.from(first8.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `"${printable}" (${hexed})`;
}

/** Parses the file or pipe header from the first bytes of the recording. */
export function parseFileHeader(bytes: Uint8Array, fileSize: number): FileHeader {
  if (bytes.length < 16) {
    throw new PerfDataError(
      `not a perf.data file: ${bytes.length} bytes, a header needs at least 16`,
      0,
      'header',
    );
  }
  const magic = detectMagic(bytes);
  if (magic === 'v1') {
    throw new PerfDataError(
      'this is a perf.data file of format version 1 (magic "PERFFILE", perf before 2012); ' +
        'only version 2 ("PERFILE2") is supported: convert it with an old perf (`perf inject`)',
      0,
      'header.magic',
    );
  }
  if (magic === 'unknown') {
    throw new PerfDataError(
      `not a perf.data file: wrong magic ${describeMagic(bytes)}, expected "PERFILE2"`,
      0,
      'header.magic',
    );
  }
  const le = magic === 'le';
  const c = Cursor.of(bytes, le, 0, 'file header');
  c.pos = 8;
  const headerSize = c.u64Count('header.size');
  if (headerSize === PIPE_HEADER_SIZE) {
    return {
      littleEndian: le,
      pipe: true,
      headerSize,
      attrSize: 0,
      attrs: { offset: 0, size: 0 },
      data: { offset: PIPE_HEADER_SIZE, size: Math.max(0, fileSize - PIPE_HEADER_SIZE) },
      eventTypes: { offset: 0, size: 0 },
      features: [],
    };
  }
  if (headerSize < FILE_HEADER_SIZE - 32 || headerSize > 4096) {
    throw new PerfDataError(
      `header size is ${headerSize}, expected ${FILE_HEADER_SIZE} (file) or ${PIPE_HEADER_SIZE} (pipe)`,
      8,
      'header.size',
    );
  }
  const attrSize = c.u64Count('header.attr_size');
  const section = (name: string): FileSection => ({
    offset: c.u64Count(`header.${name}.offset`),
    size: c.u64Count(`header.${name}.size`),
  });
  const attrs = section('attrs');
  const data = section('data');
  const eventTypes = section('event_types');
  const features: number[] = [];
  if (headerSize >= FILE_HEADER_SIZE) {
    for (let word = 0; word < FEATURE_BITS / 64; word++) {
      const [lo, hi] = c.halves('header.adds_features');
      for (let bit = 0; bit < 64; bit++) {
        const set = bit < 32 ? (lo >>> bit) & 1 : (hi >>> (bit - 32)) & 1;
        if (set) features.push(word * 64 + bit);
      }
    }
  }
  for (const [name, s] of [
    ['attrs', attrs],
    ['data', data],
  ] as const) {
    if (s.offset > fileSize) {
      throw new PerfDataError(
        `${name} section starts at ${s.offset}, beyond the end of the ${fileSize}-byte file`,
        name === 'attrs' ? 24 : 40,
        `header.${name}.offset`,
      );
    }
  }
  return { littleEndian: le, pipe: false, headerSize, attrSize, attrs, data, eventTypes, features };
}
