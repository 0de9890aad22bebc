import { describe, expect, it } from 'vitest';
import {
  BatchWriter,
  ItemKind,
  SHIPPED,
  type SampleBatch,
} from '../../../src/session/model/sample-batches';
import { SessionChains } from '../../../src/session/model/chain-interner';
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

/**
 * Every chain the batches carry, as the session's thread numbers them (ModelBuilder.applyBatch):
 * each item's chain words (a consumed record's: its ips) and number.
 */
function decode(batches: SampleBatch[]): { kind: number; words: number[]; id: number }[] {
  const table = new SessionChains();
  const items: { kind: number; words: number[]; id: number }[] = [];
  for (const b of batches) {
    table.adopt(b.newChainWords, b.newChainLengths);
    let shipped = 0;
    for (let i = 0; i < b.length; i++) {
      let id = b.chain[i]!;
      if (id === SHIPPED) {
        id = table.intern(b.words.subarray(shipped, (shipped += b.ref[i]!)));
      } else if (id >= 0) id = table.workerChain(id);
      const chain = id < 0 ? new Uint32Array() : table.get(id);
      // a consumed record is the tail of its first merged sample's chain (cpu: the head words)
      const words = b.item[i] === ItemKind.CONSUMED ? chain.subarray(b.cpu[i]) : chain;
      items.push({ kind: b.item[i]!, words: [...words], id });
    }
  }
  return items;
}

const chainsOf = (batches: SampleBatch[]): { kind: number; words: number[] }[] =>
  decode(batches).map(({ kind, words }) => ({ kind, words }));

/** How many distinct chains the batches carried to the session's thread. */
const chainsSent = (batches: SampleBatch[]): number =>
  batches.reduce((n, b) => n + b.newChainLengths.length, 0);

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
    // each distinct chain crosses to the session's thread once: the 3 merged ones (a record
    // that merged into samples is the tail of the first one's chain, not a chain of its own)
    expect(chainsSent(batches)).toBe(3);
  });

  it('a record that merged into no sample, or whose chain was split otherwise, sends its own', () => {
    const batches: SampleBatch[] = [];
    const writer = new BatchWriter((b) => batches.push(structuredClone(b)));
    const lonely = deferred(words(0x401000));
    writer.consumed(lonely, 0);
    // [k, USER_DEFERRED] + [u1, u2] and [k, USER_DEFERRED, u1] + [u2]: one merged chain
    const r1 = deferred(words(0x401000, 0x402000));
    writer.mergedSample(sample(1, words(-100, USER_DEFERRED, COOKIE)), 4, r1.ips);
    writer.consumed(r1, 1);
    const r2 = deferred(words(0x402000));
    writer.mergedSample(sample(2, words(-100, USER_DEFERRED, 0x401000, COOKIE)), 6, r2.ips);
    writer.consumed(r2, 1);
    writer.flush();
    const merged = [...words(-100, USER_DEFERRED, 0x401000, 0x402000)];
    expect(chainsOf(batches)).toEqual([
      { kind: ItemKind.CONSUMED, words: [...lonely.ips] },
      { kind: ItemKind.SAMPLE, words: merged },
      { kind: ItemKind.CONSUMED, words: [...r1.ips] },
      { kind: ItemKind.SAMPLE, words: merged },
      { kind: ItemKind.CONSUMED, words: [...r2.ips] },
    ]);
    const b = batches[0]!;
    expect(b.chain[2]).toBe(b.chain[1]); // r1: the merged chain's tail
    expect(b.chain[4]).not.toBe(b.chain[3]); // r2: split at another word, so its own chain
    expect(b.cpu[4]).toBe(0);
    expect(chainsSent(batches)).toBe(3);
  });

  it("classic chains shipped as words are numbered by the session's thread like the worker's", () => {
    const batches: SampleBatch[] = [];
    let calls = 0;
    // ship every other sample: the same chain arrives both ways
    const writer = new BatchWriter(
      (b) => batches.push(structuredClone(b)),
      () => calls++ % 2 === 0,
    );
    const a = words(-100, -512, 0x401000, 0x402000);
    const b = words(-512, 0x401000);
    const chains = [a, b, a, a, b, words(-512, 0x403000)];
    chains.forEach((c, i) => writer.sample(sample(i, c), c, MergeStatus.CLASSIC));
    // a chain longer than the words a batch ships is numbered by the worker
    const long = new Uint32Array((1 << 19) + 2).fill(0x401000);
    writer.sample(sample(9, long), long, MergeStatus.CLASSIC);
    writer.flush();
    const b0 = batches[0]!;
    expect([...b0.chain.subarray(0, 7)].map((id) => id === SHIPPED)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      false,
    ]);
    const items = decode(batches);
    expect(items.map((it) => it.words)).toEqual([...chains, long].map((c) => [...c]));
    // one number per distinct chain, whichever thread numbered it
    const [ia, ib, ia2, ia3, ib2, ic, ilong] = items.map((it) => it.id);
    expect([ia2, ia3, ib2]).toEqual([ia, ia, ib]);
    expect(new Set([ia, ib, ic, ilong]).size).toBe(4);
    // the chains the worker numbered cross once each: b, a, the last short one, the long one
    expect(chainsSent(batches)).toBe(4);
  });
});
