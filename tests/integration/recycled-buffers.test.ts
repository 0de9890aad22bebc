/**
 * Reusing read buffers (ReadOptions.recycleBuffers) must not change a single delivered byte: a
 * deferred recording replicated past several 4 MB chunks is read with and without reuse, and
 * everything the merge delivers (samples held back for their user stacks included) is compared.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeferredMerger, MergeStatus } from '../../src/session/merge/deferred-merge';
import { CHUNK_SIZE, ChunkPool } from '../../src/session/perf-data/byte-window';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { delivered, firstDifference, placed } from '../support/in-place';
import { FIXTURES, STATUS_NAMES, chainHex, mergeTrace, recording } from '../support/recordings';
import { replicate } from '../support/replicate';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reused read buffers', () => {
  it.each(['deferred/fp-recurse-edge', 'deferred/multi-event-merged', 'real/fp-recurse'])(
    '%s replicated over several chunks: the same records and chains',
    async (name) => {
      const big = join(mkdtempSync(join(tmpdir(), 'perfws-recycle-')), 'big.data');
      const { bytes } = replicate(join(FIXTURES, name, 'perf.data'), big, 80);
      expect(bytes).toBeGreaterThan(3 * CHUNK_SIZE);
      const fresh = await delivered(big, false);
      const given = vi.spyOn(ChunkPool.prototype, 'give');
      const reused = await delivered(big, true);
      expect(given.mock.calls.length).toBeGreaterThan(1); // buffers really went back to the pool
      expect(reused.length).toBe(fresh.length);
      expect(firstDifference(reused, fresh)).toBeUndefined();
    },
  );

  it.each(['real/fp-recurse', 'real/multi-event', 'deferred/multi-event-edge'])(
    '%s: plain samples read in place are those the parse delivers, in the same order',
    async (name) => {
      const big = join(mkdtempSync(join(tmpdir(), 'perfws-in-place-')), 'big.data');
      replicate(join(FIXTURES, name, 'perf.data'), big, 40);
      const parsed = await delivered(big, true);
      const samples = parsed.filter((l) => l.startsWith('S '));
      // without `deferred`: every classic sample (these events' are all plain), none the merge
      // holds back; with it, every sample
      const inPlace = { count: 0 };
      expect(firstDifference(await delivered(big, true, inPlace), parsed)).toBeUndefined();
      const classic = samples.filter((l) => l.split(' ')[3] === String(MergeStatus.CLASSIC));
      expect(classic.length).toBeGreaterThan(4000);
      expect(inPlace.count).toBe(classic.length);
      const all = { count: 0, deferred: true, records: 0 };
      expect(firstDifference(await delivered(big, true, all), parsed)).toBeUndefined();
      expect(all.count).toBe(samples.length);
      expect(all.records).toBe(parsed.filter((l) => l.startsWith('D ')).length);
    },
  );

  it.each(['real/pipe-forkexec', 'real/nocallchain-gzip', 'real/taskclock-fixed-threads'])(
    '%s: read in place, the same delivery as parsed (a pipe, no callchains, fixed periods)',
    async (name) => {
      const path = join(FIXTURES, name, 'perf.data');
      const parsed = await delivered(path, true);
      const inPlace = { count: 0, deferred: true };
      expect(firstDifference(await delivered(path, true, inPlace), parsed)).toBeUndefined();
      expect(inPlace.count).toBe(parsed.filter((l) => l.startsWith('S ')).length);
    },
  );

  it('deferred samples read in place merge as parsed ones do (mismatches and the end too)', async () => {
    const big = join(mkdtempSync(join(tmpdir(), 'perfws-in-place-')), 'big.data');
    replicate(join(FIXTURES, 'deferred/dlopen-edge', 'perf.data'), big, 40);
    const parsed = await delivered(big, true);
    const statuses = new Set(parsed.filter((l) => l.startsWith('S ')).map((l) => l.split(' ')[3]));
    expect([...statuses].sort()).toEqual(
      [
        MergeStatus.CLASSIC,
        MergeStatus.MERGED,
        MergeStatus.UNMERGED_COOKIE_MISMATCH,
        MergeStatus.UNMERGED_END_OF_SESSION,
      ].map(String),
    );
    const read = await delivered(big, true, { count: 0, deferred: true });
    expect(firstDifference(read, parsed)).toBeUndefined();
  });

  it('a deferred sample held back across many chunks keeps its kernel chain', async () => {
    // Two deferred samples of tid 101, then 13 MB of other samples (read buffers are reused),
    // then the user stack of the first (the second, with another cookie, stays unmerged).
    const lines = [
      'event cpu-clock type=1 config=0 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output',
      'sample 100/101 t=1000 ip=0xffffffff81000010 chain=kernel:ffffffff81000010,ffffffff81000020;deferred:0x11',
      'sample 100/101 t=1001 ip=0xffffffff81000030 chain=kernel:ffffffff81000030;deferred:0x12',
      'round',
    ];
    for (let i = 0; i < 120_000; i++) {
      lines.push(`sample 100/102 t=${2000 + i} ip=0x400010 chain=user:400010,400020,400030`);
      if (i % 1000 === 999) lines.push('round');
    }
    lines.push('deferred 100/101 t=200000 cookie=0x11 ips=400100,400200', 'round');
    const path = recording(lines.join('\n'));
    const given = vi.spyOn(ChunkPool.prototype, 'give');
    const { lines: trace } = await mergeTrace(path, true, { recycleBuffers: true });
    expect(given.mock.calls.length).toBeGreaterThan(1);
    expect(trace.filter((l) => l.startsWith('101 '))).toEqual([
      '101 1000 merged ffffffffffffff80,ffffffff81000010,ffffffff81000020,fffffffffffffd80,400100,400200',
      '101 1001 mismatch ffffffffffffff80,ffffffff81000030,fffffffffffffd80,12',
    ]);
  });

  it.each([false, true])(
    'samples waiting across many chunks keep at most a few read buffers, and their chains (read in place: %s)',
    async (inPlace) => {
      // A deferred sample of tid 101, then ~3 MB of other samples, 15 times over, and no user
      // stack: the waiting samples would keep 15 read buffers from reuse; past 4 they are copied
      // out, and each still has its kernel chain when the end of the recording delivers it.
      const user = Array.from({ length: 32 }, (_, i) => (0x400000 + 16 * i).toString(16));
      const lines = [
        'event cpu-clock type=1 config=0 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output',
        'sample 100/101 t=1000 ip=0xffffffff81000010 chain=kernel:ffffffff81000010,ffffffff81000020;deferred:0x11',
      ];
      for (let i = 0; i < 10_000; i++) {
        lines.push(`sample 100/102 t=${1001 + i} ip=0x400000 chain=user:${user.join(',')}`);
        if (i % 1000 === 999) lines.push('round');
      }
      const big = join(mkdtempSync(join(tmpdir(), 'perfws-recycle-')), 'big.data');
      const { bytes } = replicate(recording(lines.join('\n')), big, 15);
      expect(bytes).toBeGreaterThan(10 * CHUNK_SIZE);
      const buffers = new Set<Uint8Array>();
      const take = ChunkPool.prototype.take;
      vi.spyOn(ChunkPool.prototype, 'take').mockImplementation(function (this: ChunkPool) {
        const b = take.call(this);
        buffers.add(b);
        return b;
      });
      const reader = PerfDataReader.open(big);
      const trace: string[] = [];
      const merger = new DeferredMerger(
        true,
        {
          sample: (r, chain, status) => {
            if (r.sample.tid === 101) trace.push(`${STATUS_NAMES[status]} ${chainHex(chain)}`);
          },
          plain: (lease, record, event, time, status) => {
            const { tid, chain } = placed(lease, record, event);
            if (tid === 101) trace.push(`${STATUS_NAMES[status]} ${chainHex(chain)}`);
          },
          other: () => {},
        },
        { transient: true, retain: () => reader.retainDelivered() },
      );
      await reader.read((r) => merger.accept(r), {
        recycleBuffers: true,
        plainDeferred: true,
        plainSamples: inPlace
          ? (lease, record, event, time, deferred) => {
              if (deferred) merger.acceptPlain(lease, record, event, time);
            }
          : undefined,
      });
      merger.finish();
      reader.close();
      const chain = 'ffffffffffffff80,ffffffff81000010,ffffffff81000020,fffffffffffffd80,11';
      expect(trace).toEqual(Array<string>(15).fill(`end ${chain}`));
      // a buffer per 4 MB read in flight, the 4 the waiting samples may keep, and the next
      expect(buffers.size).toBeLessThanOrEqual(8);
    },
  );
});
