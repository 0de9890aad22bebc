/**
 * perf writes addresses, times and ids as u64. JavaScript numbers hold 53 bits exactly, so we use
 * two encodings, chosen so that the hot paths never allocate a BigInt:
 *
 * - **Signed address number**: the u64 read as a two's complement i64, as a double. Exact for every
 *   value whose top 12 bits are all 0 or all 1: user-space and kernel addresses of every 64-bit
 *   architecture, and the callchain context markers (PERF_CONTEXT_USER = -512). Garbage values
 *   (a frame-pointer walk through code without frame pointers) can be inexact; callchains therefore
 *   also keep their exact words (see `U64Words`).
 * - **U64Words**: a Uint32Array of [lo, hi] pairs, the exact value of each entry, in host order.
 */

export const TWO_32 = 4294967296;

/** No words: the empty tail of a chain given in parts, or of a copy. */
export const NO_WORDS: U64Words = new Uint32Array(0);

/** A u64 from its two halves, in the signed address encoding. */
export function signedFromHalves(lo: number, hi: number): number {
  return (hi | 0) * TWO_32 + lo;
}

/** True when the signed encoding of a u64 is exact. */
export function isExactSigned(lo: number, hi: number): boolean {
  const top = hi >>> 20; // the top 12 bits
  return top === 0 || top === 0xfff;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A uint32 as 8 hex digits. By table: toString(16) takes V8's slow generic path for numbers
 * beyond small integers, which made it the costliest call of `perfws script`.
 */
function hex8(v: number): string {
  return (
    BYTE_HEX[v >>> 24]! +
    BYTE_HEX[(v >>> 16) & 255]! +
    BYTE_HEX[(v >>> 8) & 255]! +
    BYTE_HEX[v & 255]!
  );
}

function hex32(v: number): string {
  const s = hex8(v);
  let i = 0;
  while (i < 7 && s.charCodeAt(i) === 48 /* '0' */) i++;
  return i === 0 ? s : s.slice(i);
}

/** Exact u64 as lower-case hex without leading zeros or 0x (C's `%lx`). */
export function hexFromHalves(lo: number, hi: number): string {
  return hi === 0 ? hex32(lo) : hex32(hi) + hex8(lo);
}

/** Exact u64 from its halves, as a bigint. */
export function bigFromHalves(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Exact u64 from the signed address encoding (only for values that were exact). */
export function bigFromSigned(n: number): bigint {
  const b = BigInt(n);
  return b < 0n ? b + (1n << 64n) : b;
}

/** `%lx` of a value in the signed address encoding. */
export function hexFromSigned(n: number): string {
  // the halves back from (hi | 0) * 2^32 + lo: exact, as the division is by a power of two
  const hi = Math.floor(n / TWO_32);
  return hexFromHalves(n - hi * TWO_32, hi >>> 0);
}

/** Exact callchain words: `words[2 * i]` is the low half of entry i, `words[2 * i + 1]` the high. */
export type U64Words = Uint32Array;

/** Whether an entry in `n` words of `words` from word `from` (even) is the u64 (lo, hi). */
export function holdsEntry(
  words: U64Words,
  lo: number,
  hi: number,
  from = 0,
  n = words.length - from,
): boolean {
  for (let i = from; i < from + n; i += 2) if (words[i] === lo && words[i + 1] === hi) return true;
  return false;
}

export function wordsLength(words: U64Words): number {
  return words.length >>> 1;
}

export function wordAt(words: U64Words, i: number): number {
  return signedFromHalves(words[2 * i]!, words[2 * i + 1]!);
}

export function wordHex(words: U64Words, i: number): string {
  return hexFromHalves(words[2 * i]!, words[2 * i + 1]!);
}

/**
 * Concatenated callchains (the deferred merge makes one per merged sample) carved out of large
 * shared buffers: a view costs no allocation of its own. A slab stays alive while any of its
 * views does. A transient slab writes every chain over the previous one (each is valid until the
 * next concat), for consumers that copy what they keep: no fresh memory per chain.
 */
export class WordSlab {
  private slab = new Uint32Array(0);
  private used = 0;

  constructor(private readonly transient = false) {}

  /** Entries `0..end` of `words` followed by all of `tail`. */
  concat(words: U64Words, end: number, tail: U64Words): U64Words {
    const n = 2 * end + tail.length;
    if (this.transient) this.used = 0;
    if (this.used + n > this.slab.length) {
      this.slab = new Uint32Array(Math.max(1 << 18, n));
      this.used = 0;
    }
    const slab = this.slab;
    const at = this.used;
    this.used += n;
    // plain loops: set() on short arrays costs more than the copy
    for (let i = 0; i < 2 * end; i++) slab[at + i] = words[i]!;
    for (let i = 0; i < tail.length; i++) slab[at + 2 * end + i] = tail[i]!;
    return slab.subarray(at, at + n);
  }
}
