import { describe, expect, it } from 'vitest';
import { ChainInterner, SessionChains } from '../../../src/session/model/chain-interner';

/** u64 entries as [lo, hi] word pairs. */
const words = (...entries: number[]): Uint32Array =>
  Uint32Array.from(entries.flatMap((e) => (e < 0 ? [e >>> 0, 0xffffffff] : [e, 0])));

describe('ChainInterner', () => {
  it('numbers each distinct chain once, in the order first seen', () => {
    const interner = new ChainInterner();
    expect(interner.intern(words(1, 2, 3))).toBe(0);
    expect(interner.intern(words(1, 2))).toBe(1);
    expect(interner.intern(words(1, 2, 3))).toBe(0);
    expect(interner.intern(words(3, 2, 1))).toBe(2);
  });

  it('a chain given in two parts is the chain of their words end to end', () => {
    const interner = new ChainInterner();
    const kernel = words(-200, -100, -512, 99); // kernel frames, marker, a cookie to leave out
    const user = words(0x401000, 0x402000);
    const merged = interner.internParts(kernel, 6, user);
    expect(interner.intern(words(-200, -100, -512, 0x401000, 0x402000))).toBe(merged);
    expect(interner.internParts(kernel, 6, user)).toBe(merged);
    // the same words split elsewhere
    expect(interner.internParts(words(-200, -100), 4, words(-512, 0x401000, 0x402000))).toBe(
      merged,
    );
    // the cookie is not part of it: a different head length is a different chain
    expect(interner.internParts(kernel, 8, user)).not.toBe(merged);
    const table = new SessionChains();
    const fresh = interner.takeNew();
    table.adopt(fresh.words, fresh.lengths);
    expect([...table.get(table.workerChain(merged))]).toEqual([
      ...words(-200, -100, -512, 0x401000, 0x402000),
    ]);
  });

  it('tells apart long chains that differ only between the ends it hashes', () => {
    const interner = new ChainInterner();
    const entries = Array.from({ length: 20 }, (_, i) => 0x401000 + 16 * i);
    const a = words(...entries);
    const b = words(...entries.map((e, i) => (i === 10 ? e + 1 : e)));
    const c = words(...entries.map((e, i) => (i === 11 ? e + 1 : e)));
    expect(new Set([interner.intern(a), interner.intern(b), interner.intern(c)]).size).toBe(3);
    expect(interner.intern(b)).toBe(1);
    expect(interner.internParts(c, 22, c.subarray(22))).toBe(2);
  });

  it('numbers chains made to share a hash by all their words, comparing each with a few', () => {
    // A file can hold any number of chains that differ only in words the hash leaves out (here
    // the first entry's high half): each must still get its own number, and finding it must not
    // compare it with every chain before it.
    const interner = new ChainInterner();
    const entries = Array.from({ length: 20 }, (_, i) => 0x401000 + 16 * i);
    const chain = (k: number): Uint32Array => {
      const w = words(...entries);
      w[1] = k;
      return w;
    };
    const n = 5000; // past 4096 chains: the slots are rehashed after the hash is crowded
    const ids: number[] = [];
    const ordinary = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      ids.push(interner.intern(chain(k)));
      // ordinary chains in between
      if (k % 100 === 0) ordinary.set(k, interner.intern(words(0x500000 + k)));
    }
    expect(new Set(ids).size).toBe(n);
    const before = interner.comparisons;
    // found again, the first ones too (numbered before their hash was seen to be crowded), and
    // given in two parts
    for (let k = 0; k < n; k++) expect(interner.intern(chain(k))).toBe(ids[k]);
    for (const k of [0, 5, 4999])
      expect(interner.internParts(chain(k), 6, chain(k).subarray(6))).toBe(ids[k]);
    for (const [k, id] of ordinary) expect(interner.intern(words(0x500000 + k))).toBe(id);
    const lookups = n + 3 + ordinary.size;
    expect(interner.comparisons - before).toBeLessThan(2 * lookups);
    expect(interner.comparisons).toBeLessThan(20 * n); // not ~n²/2 (12.5 million)
  });

  it('numbers the empty chain, and chains past a slab, keeping every view', () => {
    const interner = new ChainInterner();
    expect(interner.intern(new Uint32Array())).toBe(0);
    // 3000 chains of 200 words: 2.3 MB, several slabs
    const chain = (i: number) => new Uint32Array(200).fill(i + 1);
    for (let i = 0; i < 3000; i++) expect(interner.intern(chain(i))).toBe(i + 1);
    expect(interner.words(0).length).toBe(0);
    for (const i of [0, 1500, 2999]) expect([...interner.words(i + 1)]).toEqual([...chain(i)]);
    const taken = interner.takeNew();
    expect(taken.lengths.length).toBe(3001);
    expect(taken.words.length).toBe(600_000);
    expect(taken.words[599_999]).toBe(3000);
  });

  it('compares two words at a time exactly: +0 and -0, NaN patterns, odd starts', () => {
    // chains laid out in one buffer, compared through its float64 view as a batch's are
    const chains = new SessionChains();
    const batch = new Uint32Array(64);
    const wide = new Float64Array(batch.buffer);
    const put = (at: number, w: Uint32Array): number => {
      batch.set(w, at);
      return chains.intern(batch, at, w.length, wide);
    };
    const zero = put(0, words(0x401000, 0)); // 0: +0 as a float64
    // 0x8000000000000000: -0 as a float64, equal to +0 as a number, not as a chain entry
    const minusZero = put(8, Uint32Array.of(0x401000, 0, 0, 0x80000000));
    expect(minusZero).not.toBe(zero);
    expect(put(16, words(0x401000, 0))).toBe(zero);
    // kernel addresses are NaN patterns: unequal as float64s even to themselves
    const kernel = put(0, words(-0x7e000000, -0x7e000010));
    expect(put(16, words(-0x7e000000, -0x7e000010))).toBe(kernel);
    expect(put(24, words(-0x7e000000, -0x7e000011))).not.toBe(kernel);
    // an odd start (no float64 alignment) compares word by word, to the same numbers
    expect(put(33, words(-0x7e000000, -0x7e000010))).toBe(kernel);
    expect(put(41, words(0x401000, 0))).toBe(zero);
    expect([...chains.get(minusZero)]).toEqual([0x401000, 0, 0, 0x80000000]);
  });
});
