import { describe, expect, it } from 'vitest';
import {
  checkProfile,
  FrameTableBuilder,
  FuncKind,
  FuncTableBuilder,
  LibKind,
  LibTableBuilder,
  pairKey,
  StackTableBuilder,
  StringTableBuilder,
} from '../../../src/shared/model';
import { PAIR_KEY_ITEMS, PAIR_KEY_PARENTS } from '../../../src/shared/model/table-builders';

describe('pairKey', () => {
  it('gives every pair in range its own exact key', () => {
    const keys = new Set<number>();
    for (const parent of [-1, 0, 1, 2, PAIR_KEY_PARENTS - 1])
      for (const item of [0, 1, PAIR_KEY_ITEMS - 1]) keys.add(pairKey(parent, item));
    expect(keys.size).toBe(15);
    expect(pairKey(PAIR_KEY_PARENTS - 1, PAIR_KEY_ITEMS - 1)).toBeLessThanOrEqual(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it('refuses pairs that would share a key with another pair or lose bits', () => {
    // (0, 2^26) would be (1, 0)'s key
    expect(() => pairKey(0, PAIR_KEY_ITEMS)).toThrow(RangeError);
    expect(() => pairKey(PAIR_KEY_PARENTS, 0)).toThrow(/at most 134217727 parents/);
    expect(() => pairKey(-2, 0)).toThrow(RangeError);
    expect(() => pairKey(0, -1)).toThrow(RangeError);
  });
});

describe('table builders', () => {
  it('intern each row once and finish into right-sized tables', () => {
    const strings = new StringTableBuilder();
    const libs = new LibTableBuilder(strings);
    const funcs = new FuncTableBuilder(strings);
    const frames = new FrameTableBuilder();
    const stacks = new StackTableBuilder();
    const libc = libs.intern(7, 'libc.so.6', '/usr/lib/libc.so.6', 'abc', LibKind.FILE);
    expect(libs.intern(7, 'other', 'other', undefined, LibKind.ANON)).toBe(libc);
    expect(libs.find(7)).toBe(libc);
    expect(libs.find(8)).toBe(-1);
    const kernel = libs.intern(
      8,
      '[kernel.kallsyms]',
      '[kernel.kallsyms]',
      undefined,
      LibKind.KERNEL,
    );
    libs.markUnresolved(kernel);

    const main = funcs.intern('main', libc, FuncKind.USER, false);
    expect(funcs.intern('main', libc, FuncKind.USER, false)).toBe(main);
    const mainInKernel = funcs.intern('main', kernel, FuncKind.KERNEL, false);
    expect(mainInKernel).not.toBe(main);

    const f0 = frames.intern(7, 0x1000, main, 0);
    expect(frames.intern(7, 0x1000, mainInKernel, 5)).toBe(f0); // known: the row stays
    expect(frames.find(7, 0x1000)).toBe(f0);
    expect(frames.find(8, 0x1000)).toBe(-1);
    const f1 = frames.intern(8, 0x1000, mainInKernel, 4);
    const inline = frames.internKeyed('inline g', main, 0x1000, 0);
    expect(frames.findKeyed('inline g')).toBe(inline);
    expect(frames.findKeyed('nothing')).toBe(-1);

    const root = stacks.intern(-1, f0);
    const leaf = stacks.intern(root, f1);
    expect(stacks.intern(root, f1)).toBe(leaf);
    const other = stacks.intern(-1, f1);
    expect(stacks.find(root, f1)).toBe(leaf);
    expect(stacks.find(leaf, f0)).toBe(-1);
    expect(new Set([root, leaf, other]).size).toBe(3);

    // enough rows to make every column grow
    for (let i = 0; i < 3000; i++) stacks.intern(leaf, frames.intern(9, i, main, -1));

    const profile = {
      meta: { samples: 0 } as never,
      strings: strings.strings,
      libs: libs.finish(),
      funcs: funcs.finish(),
      frames: frames.finish(),
      stacks: stacks.finish(),
      threads: [],
      events: [],
    };
    expect(checkProfile(profile)).toEqual([]);
    expect(profile.libs.length).toBe(2);
    expect([...profile.libs.unresolved]).toEqual([0, 1]);
    expect([...profile.libs.buildId].map((s) => strings.strings[s])).toEqual(['abc', undefined]);
    expect(profile.funcs.length).toBe(2);
    expect(profile.frames.length).toBe(3003);
    expect(profile.frames.func.length).toBe(3003);
    expect(profile.frames.symbolOffset[f1]).toBe(4);
    expect(profile.stacks.length).toBe(3003);
    expect(profile.stacks.depth[3002]).toBe(2);
    expect(profile.stacks.prefix[leaf]).toBe(root);
    expect(stacks.find(-1, f1)).toBe(other); // still answers once finished
  });
});
