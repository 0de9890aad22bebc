/**
 * A small synchronous .xz decoder (LZMA2 filter only), enough for the
 * "MiniDebugInfo" that distributions put in .gnu_debugdata (made with
 * plain `xz`). Formats: the .xz file format 1.1.0 and LZMA2 as described in
 * the xz-utils documentation. Integrity checks (CRC32/CRC64/SHA-256) are
 * skipped; corrupt data fails in the decoder or in the ELF parser after it.
 *
 * Why our own: the npm xz decoders are either asynchronous streams
 * (xz-decompress) or native addons, and symbol loading is synchronous.
 */

export class XzError extends Error {
  constructor(
    readonly offset: number,
    readonly field: string,
    detail: string,
  ) {
    super(`xz data: byte offset ${offset} (${field}): ${detail}`);
    this.name = 'XzError';
  }
}

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FILTER_LZMA2 = 0x21;

/** Bytes of the check field for each check type (xz spec 2.1.1.2). */
function checkSize(type: number): number {
  if (type === 0) return 0;
  return 4 << Math.floor((type - 1) / 3);
}

class Input {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }
  byte(field: string): number {
    if (this.pos >= this.buf.length) throw new XzError(this.pos, field, 'unexpected end of data');
    return this.buf[this.pos++]!;
  }
  /** xz multibyte integer (7 bits per byte, little-endian, max 9 bytes). */
  varint(field: string): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 9; i++) {
      const b = this.byte(field);
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return v;
      mul *= 128;
    }
    throw new XzError(this.pos, field, 'multibyte integer too long');
  }
}

/** Growable output that doubles as the LZMA dictionary (we keep everything). */
class Output {
  buf: Uint8Array;
  len = 0;
  constructor(
    private readonly limit: number,
    initial = 1 << 16,
  ) {
    this.buf = new Uint8Array(Math.min(initial, limit));
  }
  ensure(extra: number, at: number): void {
    const need = this.len + extra;
    if (need > this.limit)
      throw new XzError(at, 'uncompressed size', `output exceeds the ${this.limit}-byte limit`);
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.min(this.limit, Math.max(need, this.buf.length * 2)));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

class RangeDecoder {
  range = 0;
  code = 0;
  constructor(private readonly input: Input) {}

  init(): void {
    if (this.input.byte('LZMA range coder') !== 0)
      throw new XzError(this.input.pos - 1, 'LZMA range coder', 'first byte is not 0');
    this.range = 0xffffffff;
    this.code = 0;
    for (let i = 0; i < 4; i++)
      this.code = ((this.code << 8) | this.input.byte('LZMA range coder')) >>> 0;
  }

  private normalize(): void {
    if (this.range < 0x1000000) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.input.byte('LZMA data')) >>> 0;
    }
  }

  bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    const bound = (this.range >>> 11) * p;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      this.range = (this.range - bound) >>> 0;
      this.code = (this.code - bound) >>> 0;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    this.normalize();
    return b;
  }

  tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, base + m);
    return m - (1 << bits);
  }

  reverseTree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(probs, base + m);
      m = (m << 1) | b;
      sym |= b << i;
    }
    return sym;
  }

  direct(bits: number): number {
    let v = 0;
    for (let i = 0; i < bits; i++) {
      this.range >>>= 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code = (this.code - this.range) >>> 0;
        b = 1;
      }
      v = ((v << 1) | b) >>> 0;
      this.normalize();
    }
    return v;
  }
}

const STATES = 12;
const POS_STATES_MAX = 16;

/** Probability model layout for one LZMA length coder. */
class LengthCoder {
  readonly probs = new Uint16Array(2 + POS_STATES_MAX * 8 * 2 + 256);
  reset(): void {
    this.probs.fill(1024);
  }
  decode(rc: RangeDecoder, posState: number): number {
    const p = this.probs;
    if (rc.bit(p, 0) === 0) return rc.tree(p, 2 + posState * 8, 3);
    if (rc.bit(p, 1) === 0) return 8 + rc.tree(p, 2 + POS_STATES_MAX * 8 + posState * 8, 3);
    return 16 + rc.tree(p, 2 + POS_STATES_MAX * 8 * 2, 8);
  }
}

/** LZMA decoder state kept across LZMA2 chunks. */
class LzmaState {
  lc = 0;
  lp = 0;
  pb = 0;
  state = 0;
  reps = [0, 0, 0, 0];
  isMatch = new Uint16Array(STATES * POS_STATES_MAX);
  isRep = new Uint16Array(STATES);
  isRepG0 = new Uint16Array(STATES);
  isRepG1 = new Uint16Array(STATES);
  isRepG2 = new Uint16Array(STATES);
  isRep0Long = new Uint16Array(STATES * POS_STATES_MAX);
  posSlot = new Uint16Array(4 * 64);
  posSpecial = new Uint16Array(115);
  align = new Uint16Array(16);
  literal = new Uint16Array(0x300);
  matchLen = new LengthCoder();
  repLen = new LengthCoder();

  setProps(props: number, at: number): void {
    if (props >= 9 * 5 * 5)
      throw new XzError(at, 'LZMA2 properties', `invalid lc/lp/pb byte ${props}`);
    this.lc = props % 9;
    this.lp = Math.floor(props / 9) % 5;
    this.pb = Math.floor(props / 45);
    if (this.lc + this.lp > 4) throw new XzError(at, 'LZMA2 properties', 'lc + lp > 4');
    this.literal = new Uint16Array(0x300 << (this.lc + this.lp));
  }

  reset(): void {
    this.state = 0;
    this.reps = [0, 0, 0, 0];
    for (const a of [
      this.isMatch,
      this.isRep,
      this.isRepG0,
      this.isRepG1,
      this.isRepG2,
      this.isRep0Long,
    ])
      a.fill(1024);
    for (const a of [this.posSlot, this.posSpecial, this.align, this.literal]) a.fill(1024);
    this.matchLen.reset();
    this.repLen.reset();
  }

  /** Decode one LZMA chunk producing exactly `size` bytes. */
  decode(rc: RangeDecoder, out: Output, dictStart: number, size: number, at: number): void {
    out.ensure(size, at);
    const buf = out.buf;
    const end = out.len + size;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    let pos = out.len;
    let state = this.state;
    let [rep0, rep1, rep2, rep3] = this.reps as [number, number, number, number];
    while (pos < end) {
      // Positions count from the last dictionary reset.
      const rel = pos - dictStart;
      const posState = rel & pbMask;
      if (rc.bit(this.isMatch, state * POS_STATES_MAX + posState) === 0) {
        const prev = pos > dictStart ? buf[pos - 1]! : 0;
        const base = 0x300 * (((rel & lpMask) << this.lc) + (prev >> (8 - this.lc)));
        let sym = 1;
        if (state >= 7) {
          if (rep0 >= pos - dictStart)
            throw new XzError(at, 'LZMA data', 'match distance beyond the dictionary');
          let matchByte = buf[pos - rep0 - 1]!;
          do {
            const matchBit = (matchByte >> 7) & 1;
            matchByte <<= 1;
            const b = rc.bit(this.literal, base + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | b;
            if (matchBit !== b) break;
          } while (sym < 0x100);
        }
        while (sym < 0x100) sym = (sym << 1) | rc.bit(this.literal, base + sym);
        buf[pos++] = sym & 0xff;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (rc.bit(this.isRep, state) === 0) {
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        len = this.matchLen.decode(rc, posState);
        state = state < 7 ? 7 : 10;
        rep0 = this.distance(rc, len);
        if (rep0 === 0xffffffff)
          throw new XzError(at, 'LZMA data', 'end marker inside an LZMA2 chunk');
      } else {
        if (rc.bit(this.isRepG0, state) === 0) {
          if (rc.bit(this.isRep0Long, state * POS_STATES_MAX + posState) === 0) {
            state = state < 7 ? 9 : 11;
            if (rep0 >= pos - dictStart)
              throw new XzError(at, 'LZMA data', 'match distance beyond the dictionary');
            buf[pos] = buf[pos - rep0 - 1]!;
            pos++;
            continue;
          }
        } else {
          let dist: number;
          if (rc.bit(this.isRepG1, state) === 0) {
            dist = rep1;
          } else {
            if (rc.bit(this.isRepG2, state) === 0) {
              dist = rep2;
            } else {
              dist = rep3;
              rep3 = rep2;
            }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = dist;
        }
        len = this.repLen.decode(rc, posState);
        state = state < 7 ? 8 : 11;
      }
      let n = len + 2;
      if (rep0 >= pos - dictStart)
        throw new XzError(at, 'LZMA data', 'match distance beyond the dictionary');
      if (pos + n > end) throw new XzError(at, 'LZMA data', 'match runs past the chunk');
      let from = pos - rep0 - 1;
      while (n-- > 0) buf[pos++] = buf[from++]!;
    }
    out.len = pos;
    this.state = state;
    this.reps = [rep0, rep1, rep2, rep3];
  }

  private distance(rc: RangeDecoder, len: number): number {
    const lenState = len < 3 ? len : 3;
    const slot = rc.tree(this.posSlot, lenState * 64, 6);
    if (slot < 4) return slot;
    const direct = (slot >> 1) - 1;
    let dist = ((2 | (slot & 1)) << direct) >>> 0;
    if (slot < 14) {
      dist = (dist + rc.reverseTree(this.posSpecial, dist - slot, direct)) >>> 0;
    } else {
      dist = (dist + ((rc.direct(direct - 4) << 4) >>> 0)) >>> 0;
      dist = (dist + rc.reverseTree(this.align, 0, 4)) >>> 0;
    }
    return dist;
  }
}

/** Decode an LZMA2 stream (up to its 0x00 end marker) into `out`. */
function decodeLzma2(input: Input, out: Output): void {
  const lzma = new LzmaState();
  const rc = new RangeDecoder(input);
  let dictStart = out.len;
  let needProps = true;
  for (;;) {
    const at = input.pos;
    const control = input.byte('LZMA2 chunk control');
    if (control === 0x00) return;
    if (control === 0x01 || control === 0x02) {
      if (control === 0x01) dictStart = out.len;
      const size = ((input.byte('LZMA2 chunk size') << 8) | input.byte('LZMA2 chunk size')) + 1;
      if (input.pos + size > input.buf.length)
        throw new XzError(input.pos, 'LZMA2 uncompressed chunk', 'truncated');
      out.ensure(size, at);
      out.buf.set(input.buf.subarray(input.pos, input.pos + size), out.len);
      out.len += size;
      input.pos += size;
      continue;
    }
    if (control < 0x80)
      throw new XzError(
        at,
        'LZMA2 chunk control',
        `invalid control byte 0x${control.toString(16)}`,
      );
    const unpacked =
      ((control & 0x1f) << 16) +
      ((input.byte('LZMA2 chunk size') << 8) | input.byte('LZMA2 chunk size')) +
      1;
    const packed = ((input.byte('LZMA2 chunk size') << 8) | input.byte('LZMA2 chunk size')) + 1;
    const reset = (control >> 5) & 3;
    if (reset === 3) dictStart = out.len;
    if (reset >= 2) {
      lzma.setProps(input.byte('LZMA2 properties'), input.pos - 1);
      needProps = false;
    } else if (needProps) {
      throw new XzError(at, 'LZMA2 chunk control', 'first LZMA chunk does not set properties');
    }
    if (reset >= 1) lzma.reset();
    const dataStart = input.pos;
    rc.init();
    lzma.decode(rc, out, dictStart, unpacked, at);
    input.pos = dataStart + packed; // the range coder may have read ahead by design
  }
}

/**
 * Decompress a complete .xz stream (concatenated streams are accepted).
 * @param limit  the most bytes we are willing to produce.
 */
export function decompressXz(data: Uint8Array, limit: number): Uint8Array {
  const input = new Input(data);
  const out = new Output(limit);
  while (input.pos < data.length) {
    // Stream padding between streams: zero bytes in groups of four.
    if (data[input.pos] === 0 && out.len > 0) {
      input.pos++;
      continue;
    }
    for (let i = 0; i < 6; i++) {
      if (input.byte('stream header magic') !== XZ_MAGIC[i])
        throw new XzError(input.pos - 1, 'stream header magic', 'not xz data');
    }
    input.byte('stream flags');
    const check = input.byte('stream flags') & 0x0f;
    input.pos += 4; // CRC32 of the flags
    for (;;) {
      const blockStart = input.pos;
      const headerSizeByte = input.byte('block header size');
      if (headerSizeByte === 0) break; // index follows
      const headerEnd = blockStart + (headerSizeByte + 1) * 4;
      const flags = input.byte('block flags');
      const filters = (flags & 3) + 1;
      if (flags & 0x40) input.varint('compressed size');
      if (flags & 0x80) input.varint('uncompressed size');
      let lastFilter = -1;
      for (let f = 0; f < filters; f++) {
        lastFilter = input.varint('filter id');
        const propsSize = input.varint('filter properties size');
        input.pos += propsSize;
      }
      if (filters !== 1 || lastFilter !== FILTER_LZMA2) {
        throw new XzError(
          blockStart,
          'block filters',
          `only a lone LZMA2 filter is supported (got ${filters} filter(s), last 0x${lastFilter.toString(16)})`,
        );
      }
      input.pos = headerEnd;
      const dataStart = input.pos;
      decodeLzma2(input, out);
      while ((input.pos - dataStart) % 4 !== 0) input.pos++; // block padding
      input.pos += checkSize(check);
    }
    // Index: records of (unpadded size, uncompressed size); then CRC32 and the 12-byte footer.
    const records = input.varint('index record count');
    for (let i = 0; i < records; i++) {
      input.varint('index unpadded size');
      input.varint('index uncompressed size');
    }
    while (input.pos % 4 !== 0) input.pos++;
    input.pos += 4 + 12;
    if (input.pos > data.length) throw new XzError(data.length, 'stream footer', 'truncated');
  }
  return out.buf.slice(0, out.len);
}
