import { TWO_32, hexFromHalves, type U64Words } from '../perf-data/u64';

/**
 * An exact u64 as two unsigned 32-bit halves. Addresses in a report must stay exact: callchains
 * of code without frame pointers hold garbage words (0x656e2d0071652d00) that a double cannot
 * hold, and perf prints and compares them exactly.
 */
export interface U64 {
  readonly hi: number;
  readonly lo: number;
}

/** From the signed address encoding of perf-data/u64.ts (exact for real addresses). */
export function u64FromSigned(n: number): U64 {
  const hi = Math.floor(n / TWO_32);
  return { hi: hi >>> 0, lo: (n - hi * TWO_32) >>> 0 };
}

/** Entry `i` of exact callchain words. */
export function u64FromWords(words: U64Words, i: number): U64 {
  return { hi: words[2 * i + 1]!, lo: words[2 * i]! };
}

/** -1, 0 or 1 as the u64 values compare. */
export function compareU64(a: U64, b: U64): number {
  if (a.hi !== b.hi) return a.hi < b.hi ? -1 : 1;
  if (a.lo !== b.lo) return a.lo < b.lo ? -1 : 1;
  return 0;
}

/** The sign of `(int64_t)(right - left)`: perf's `_sort__addr_cmp(left, right)`. */
export function addrDiffSign(left: U64, right: U64): number {
  // right - left on u64 arithmetic, by halves; its top bit is the int64's sign
  const lo = (right.lo - left.lo) >>> 0;
  const hi = (right.hi - left.hi - (right.lo < left.lo ? 1 : 0)) >>> 0;
  if (hi === 0 && lo === 0) return 0;
  return hi >= 0x8000_0000 ? -1 : 1;
}

/** printf("%#lx", value): lower-case hex with 0x, but a plain "0" for zero. */
export function hexAlt(v: U64): string {
  if (v.hi === 0 && v.lo === 0) return '0';
  return `0x${hexFromHalves(v.lo, v.hi)}`;
}

/** printf("%#.16lx", value): 16 digits after 0x; glibc drops the 0x for zero. */
export function hexAlt16(v: U64): string {
  const digits = hexFromHalves(v.lo, v.hi).padStart(16, '0');
  return v.hi === 0 && v.lo === 0 ? digits : `0x${digits}`;
}

/** A short string that identifies the value (for map keys). */
export function u64Key(v: U64): string {
  return v.hi === 0 ? v.lo.toString(36) : `${v.hi.toString(36)}:${v.lo.toString(36)}`;
}
