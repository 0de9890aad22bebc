import { describe, expect, it } from 'vitest';
import { BatchWriter, ItemKind, type SampleBatch } from '../../../src/session/model/sample-batches';
import { ChainTable } from '../../../src/session/model/chain-interner';
import { MergeStatus } from '../../../src/session/merge/deferred-merge';
import type { CallchainDeferredRecord, SampleRecord } from '../../../src/session/perf-data/records';

/** u64 entries as [lo, hi] word pairs. */
const words = (...entries: number[]): Uint32Array =>
  Uint32Array.from(entries.flatMap((e) => (e < 0 ? [e >>> 0, 0xffffffff] : [e, 0])));

const USER_DEFERRED = -640; // PERF_CONTEXT_USER_DEFERRED
const COOKIE = 7;

const sample = (time: number, callchain: Uint32Array): SampleRecord =>
  ({
    sample: {
      pid: 1,
      tid: 1,
      time,
      cpu: 0,
      period: 1,
      ip: 0,
      misc: 2,
      event: { index: 0 },
      callchain,
    },
  }) as unknown as SampleRecord;

const deferred = (ips: Uint32Array): CallchainDeferredRecord =>
  ({ sid: { pid: 1, tid: 1, time: 10 }, ips, cookieLo: COOKIE, cookieHi: 0 }) as never;

/** Every chain the batches carry, and each item's chain words. */
function chainsOf(batches: SampleBatch[]): { kind: number; words: number[] }[] {
  const table = new ChainTable();
  const items: { kind: number; words: number[] }[] = [];
  for (const b of batches) {
    table.add(b.newChainWords, b.newChainLengths);
    for (let i = 0; i < b.length; i++)
      items.push({ kind: b.item[i]!, words: b.chain[i]! < 0 ? [] : [...table.get(b.chain[i]!)] });
  }
  return items;
}

describe('BatchWriter', () => {
  it("merged samples carry their own kernel part and their record's user ips", () => {
    const batches: SampleBatch[] = [];
    const writer = new BatchWriter((b) => batches.push(structuredClone(b)));
    const user = words(0x401000, 0x402000, 0x403000);
    const inSyscall = words(-100, -200, USER_DEFERRED, COOKIE);
    const inUser = words(USER_DEFERRED, COOKIE);
    // one record merges three samples: two heads, one of them twice
    const r = deferred(user);
    writer.mergedSample(sample(1, inSyscall), 6, r.ips);
    writer.mergedSample(sample(2, inUser), 2, r.ips);
    writer.mergedSample(sample(3, inSyscall), 6, r.ips);
    writer.consumed(r, 3);
    // a second record with other user ips, merging a sample with an already seen head
    const r2 = deferred(words(0x401000, 0x409000));
    writer.mergedSample(sample(4, inSyscall), 6, r2.ips);
    writer.consumed(r2, 1);
    writer.flush();
    const items = chainsOf(batches);
    const head = (c: Uint32Array, n: number): number[] => [...c.subarray(0, n)];
    expect(items).toEqual([
      { kind: ItemKind.SAMPLE, words: [...head(inSyscall, 6), ...user] },
      { kind: ItemKind.SAMPLE, words: [...head(inUser, 2), ...user] },
      { kind: ItemKind.SAMPLE, words: [...head(inSyscall, 6), ...user] },
      { kind: ItemKind.CONSUMED, words: [...user] },
      { kind: ItemKind.SAMPLE, words: [...head(inSyscall, 6), ...r2.ips] },
      { kind: ItemKind.CONSUMED, words: [...r2.ips] },
    ]);
    expect(batches.flatMap((b) => [...b.status.subarray(0, b.length)])).toEqual([
      MergeStatus.MERGED,
      MergeStatus.MERGED,
      MergeStatus.MERGED,
      0,
      MergeStatus.MERGED,
      0,
    ]);
    // each distinct chain crosses to the session's thread once: 3 merged, 2 user stacks
    expect(batches.reduce((n, b) => n + b.newChainLengths.length, 0)).toBe(5);
  });
});
