/** Exact u64 order for the report's comparisons. */
import { describe, expect, test } from 'vitest';
import { addrDiffSign, type U64 } from '../../../src/session/report/u64-order';

/** The sign of (int64_t)(right - left), computed with bigints as perf's C does with u64s. */
function signOfDifference(left: U64, right: U64): number {
  const big = (v: U64): bigint => (BigInt(v.hi) << 32n) | BigInt(v.lo);
  const diff = BigInt.asIntN(64, big(right) - big(left));
  return diff === 0n ? 0 : diff > 0n ? 1 : -1;
}

describe('addrDiffSign', () => {
  test("is perf's (int64_t)(right - left) sign, wrapping included", () => {
    const edges = [0, 1, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, 0xffff_fffe, 0xffff_ffff];
    const values: U64[] = [];
    for (const hi of edges) for (const lo of edges) values.push({ hi, lo });
    let seed = 11;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 200; i++) values.push({ hi: rand(), lo: rand() });
    for (const l of values) {
      for (const r of values) expect(addrDiffSign(l, r)).toBe(signOfDifference(l, r));
    }
  });

  test('addresses more than 2^63 apart compare backwards, as in perf', () => {
    const low = { hi: 0, lo: 0x1000 };
    const kernel = { hi: 0xffff_ffff, lo: 0x8100_0000 };
    expect(addrDiffSign(low, kernel)).toBe(-1);
    expect(addrDiffSign(kernel, low)).toBe(1);
  });
});
