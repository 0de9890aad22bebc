import { describe, expect, it } from 'vitest';
import {
  checkProfile,
  FrameTableBuilder,
  FuncKind,
  FuncTableBuilder,
  LibKind,
  LibTableBuilder,
  StackTableBuilder,
  StringTableBuilder,
} from '../../../src/shared/model';

describe('StackTableBuilder', () => {
  it('finds every (prefix, frame) row through its own hash as a Map of the pairs would', () => {
    const hashed = new StackTableBuilder();
    // the reference: rows numbered in first-seen order by a Map keyed by the pair
    const reference = new Map<string, number>();
    const prefixes: number[] = [];
    const frames: number[] = [];
    const internReference = (prefix: number, frame: number): number => {
      const key = `${prefix},${frame}`;
      let row = reference.get(key);
      if (row === undefined) {
        row = reference.size;
        reference.set(key, row);
        prefixes.push(prefix);
        frames.push(frame);
      }
      return row;
    };
    // 60 000 stacks (past several rehashes): deep chains and wide fan-outs, frames repeating
    let seed = 7;
    const next = (n: number) => (seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) % n;
    for (let i = 0; i < 60_000; i++) {
      const prefix = i < 10 ? -1 : next(Math.min(i, hashed.length));
      const frame = next(i % 3 === 0 ? 4 : 5000);
      expect(hashed.intern(prefix, frame)).toBe(internReference(prefix, frame));
    }
    const table = hashed.finish();
    expect(table.length).toBe(reference.size);
    expect([...table.prefix]).toEqual(prefixes);
    expect([...table.frame]).toEqual(frames);
    // every row is found again, after finish() too, and pairs never interned are not
    for (let row = 0; row < table.length; row++)
      expect(hashed.find(table.prefix[row]!, table.frame[row]!)).toBe(row);
    expect(hashed.find(-1, 999_999)).toBe(-1);
    expect(hashed.intern(table.prefix[123]!, table.frame[123]!)).toBe(123);
    expect(hashed.length).toBe(table.length);
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
