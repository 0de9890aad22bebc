import { describe, expect, it } from 'vitest';
import {
  BatchChains,
  BatchWriter,
  ItemKind,
  SHIPPED,
  type SampleBatch,
} from '../../../src/session/model/sample-batches';
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
 * Every chain the batches carry, as the session's thread numbers them (BatchChains, as in
 * ModelBuilder.applyBatch): each item's chain words (a consumed record's: its ips), number and
 * head words (a consumed record's ips start after them).
 */
function decode(
  batches: SampleBatch[],
): { kind: number; words: number[]; id: number; head: number }[] {
  const chains = new BatchChains();
  const items: { kind: number; words: number[]; id: number; head: number }[] = [];
  for (const b of batches) {
    chains.begin(b);
    for (let i = 0; i < b.length; i++) {
      const consumed = b.item[i] === ItemKind.CONSUMED;
      const id = consumed ? chains.consumed(b, i) : chains.sample(b, i);
      const head = consumed ? chains.headWords : 0;
      const chain = id < 0 ? new Uint32Array() : chains.chains.get(id);
      items.push({ kind: b.item[i]!, words: [...chain.subarray(head)], id, head });
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

  it('a record that merged into no sample, or whose chain was split otherwise, has its own', () => {
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
    const [, s1, c1, s2, c2] = decode(batches);
    expect([c1!.id, c1!.head]).toEqual([s1!.id, 4]); // r1: the merged chain's tail
    expect(s2!.id).toBe(s1!.id);
    // r2: the same chain split at another word, so the session numbers r2's ips on their own
    expect(c2!.id).not.toBe(s2!.id);
    expect(c2!.head).toBe(0);
    // the worker sent the lonely record's chain and the merged one, once
    expect(chainsSent(batches)).toBe(2);
  });

  it('classic chains, and merged ones too long for a batch, are numbered by the worker even while the session has time', () => {
    const batches: SampleBatch[] = [];
    const writer = new BatchWriter(
      (b) => batches.push(structuredClone(b)),
      () => true,
    );
    const a = words(-100, -512, 0x401000, 0x402000);
    const b = words(-512, 0x401000);
    const classic = [a, b, a];
    classic.forEach((c, i) => writer.sample(sample(i, c), c, MergeStatus.CLASSIC));
    const inSyscall = words(-100, -200, USER_DEFERRED, COOKIE);
    const short = deferred(words(0x403000));
    writer.mergedSample(sample(3, inSyscall), 6, short.ips);
    // a merged chain longer than the words a batch ships
    const long = deferred(new Uint32Array((1 << 19) + 2).fill(0x401000));
    writer.mergedSample(sample(4, inSyscall), 6, long.ips);
    writer.flush();
    const b0 = batches[0]!;
    expect([...b0.chain.subarray(0, 5)].map((id) => id === SHIPPED)).toEqual([
      false,
      false,
      false,
      true,
      false,
    ]);
    const items = decode(batches);
    expect(items.map((it) => it.words)).toEqual(
      [
        ...classic,
        [...inSyscall.subarray(0, 6), ...short.ips],
        [...inSyscall.subarray(0, 6), ...long.ips],
      ].map((c) => [...c]),
    );
    const [ia, ib, ia2, ishort, ilong] = items.map((it) => it.id);
    expect(ia2).toBe(ia);
    expect(new Set([ia, ib, ishort, ilong]).size).toBe(4);
    // the chains the worker numbered cross once each: a, b, the long merged one
    expect(chainsSent(batches)).toBe(3);
  });

  it('merged samples decode the same whether their chains were shipped or numbered', () => {
    const user = words(0x401000, 0x402000, 0x403000);
    const inSyscall = words(-100, -200, USER_DEFERRED, COOKIE);
    const inUser = words(USER_DEFERRED, COOKIE);
    const run = (ship: () => boolean) => {
      const batches: SampleBatch[] = [];
      const writer = new BatchWriter((b) => batches.push(structuredClone(b)), ship);
      const r = deferred(user);
      writer.mergedSample(sample(1, inSyscall), 6, r.ips);
      writer.mergedSample(sample(2, inUser), 2, r.ips);
      writer.consumed(r, 2);
      // the same user stack again, first merged into the in-user sample: another split
      const r2 = deferred(user);
      writer.mergedSample(sample(3, inUser), 2, r2.ips);
      writer.mergedSample(sample(4, inSyscall), 6, r2.ips);
      writer.consumed(r2, 2);
      writer.consumed(deferred(words(0x404000)), 0);
      writer.sample(sample(5, inSyscall), inSyscall, MergeStatus.UNMERGED_COOKIE_MISMATCH);
      // [k, USER_DEFERRED, u1] + [u2]: the in-syscall chain again, split at 4 words, not 6
      const r3 = deferred(words(0x403000));
      writer.mergedSample(
        sample(6, words(-100, -200, USER_DEFERRED, 0x401000, 0x402000, 9)),
        10,
        r3.ips,
      );
      writer.consumed(r3, 1);
      writer.flush();
      const items = decode(batches);
      // numbers as first-use ranks: equal chains, equal ranks, whoever numbered them
      const ranks = new Map<number, number>();
      return items.map(({ kind, words, id, head }) => {
        if (!ranks.has(id)) ranks.set(id, ranks.size);
        return { kind, words, rank: ranks.get(id), head };
      });
    };
    let n = 0;
    const never = run(() => false);
    expect(run(() => true)).toEqual(never);
    expect(run(() => n++ % 2 === 0)).toEqual(never);
    expect(never.map((it) => it.words)).toEqual(
      [
        [...inSyscall.subarray(0, 6), ...user],
        [...inUser.subarray(0, 2), ...user],
        user,
        [...inUser.subarray(0, 2), ...user],
        [...inSyscall.subarray(0, 6), ...user],
        user,
        words(0x404000),
        inSyscall,
        [...inSyscall.subarray(0, 6), ...user],
        words(0x403000),
      ].map((w) => [...w]),
    );
    // r is the in-syscall chain's tail past 6 words, r2 the in-user one's past 2 (each chain's
    // first split); r3 would split the in-syscall chain at 10 words: it has a chain of its own
    expect(never.map((it) => it.head)).toEqual([0, 0, 6, 0, 0, 2, 0, 0, 0, 0]);
    expect(never[8]!.rank).toBe(never[0]!.rank);
    expect(never[9]!.rank).not.toBe(never[8]!.rank);
  });
});
