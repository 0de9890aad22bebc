import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { loadProfile } from '../../src/session/model/model-builder';
import type { Profile } from '../../src/shared/model';
import { FIXTURES, recording } from '../support/recordings';
import { fixtureSymbols } from '../support/session';

/**
 * The merging-off view is the same whichever thread read the recording. A load worker posts each
 * consumed CALLCHAIN_DEFERRED record as an item whose ips are, mostly, the tail of the chain of the
 * first sample it merged into (BatchWriter's TAIL, BatchChains.tail); the session's thread reads
 * each one as a record.
 */
const DEFERRED = readdirSync(join(FIXTURES, 'deferred')).filter((d) =>
  existsSync(join(FIXTURES, 'deferred', d, 'perf.data')),
);

async function loadFile(path: string, singleThread: boolean): Promise<Profile> {
  const reader = PerfDataReader.open(path);
  try {
    return await loadProfile(reader, { symbols: fixtureSymbols(dirname(path)), singleThread });
  } finally {
    reader.close();
  }
}

const load = (name: string, singleThread: boolean): Promise<Profile> =>
  loadFile(join(FIXTURES, 'deferred', name, 'perf.data'), singleThread);

/** Each thread's consumed records and stacks as recorded, as plain arrays. */
const rawView = (p: Profile) =>
  p.threads.map((t) => ({
    pid: t.pid,
    tid: t.tid,
    records: (['time', 'stack', 'mergedInto', 'cookieLo', 'cookieHi'] as const).map((k) => [
      ...t.deferredRecords[k],
    ]),
    rawStack: [...t.samples.rawStack],
  }));

describe('consumed CALLCHAIN_DEFERRED records, read by a load worker', () => {
  it('the fixtures have records that merged into one sample and into several', async () => {
    let shared = 0;
    let single = 0;
    for (const name of DEFERRED) {
      for (const t of (await load(name, true)).threads) {
        for (const n of t.deferredRecords.mergedInto) {
          if (n > 1) shared++;
          else if (n === 1) single++;
        }
      }
    }
    expect(single).toBeGreaterThan(1000);
    expect(shared).toBeGreaterThan(0);
  });

  it.each(DEFERRED)('%s: the same records and stacks as read on one thread', async (name) => {
    const [one, worker] = [await load(name, true), await load(name, false)];
    expect(worker.meta.merge).toEqual(one.meta.merge);
    expect(worker.stacks).toEqual(one.stacks);
    expect(rawView(worker)).toEqual(rawView(one));
    expect(worker.threads.reduce((n, t) => n + t.deferredRecords.length, 0)).toBe(
      one.meta.merge.deferredRecords,
    );
  });

  it("records of another pid than their samples', between ones of the same", async () => {
    // the second and last records' pids are not their samples' (tid alone matches them)
    const path = recording(`
      event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output
      comm 10/11 t=50 app
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
      deferred 10/11 t=110 cookie=0x5 ips=401000,402000
      sample 10/11 t=120 chain=kernel:ffffffff81000002;deferred:0x6
      deferred 20/11 t=130 cookie=0x6 ips=403000
      sample 10/11 t=140 chain=kernel:ffffffff81000003;deferred:0x7
      deferred 10/11 t=150 cookie=0x7 ips=404000
      sample -1/12 t=160 chain=kernel:ffffffff81000004;deferred:0x8
      deferred 10/12 t=170 cookie=0x8 ips=405000
    `);
    const [one, worker] = [await loadFile(path, true), await loadFile(path, false)];
    expect(one.meta.merge.merged).toBe(4);
    // the last record told its thread's pid, which its sample did not know
    expect(one.threads.map((t) => [t.pid, t.tid])).toEqual([
      [10, 11],
      [10, 12],
    ]);
    expect(rawView(worker)).toEqual(rawView(one));
    expect(worker.stacks).toEqual(one.stacks);
  });
});
