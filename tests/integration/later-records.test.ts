import { appendFileSync, copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { loadProfile, type LoadOptions } from '../../src/session/model/model-builder';
import { readLaterRecords } from '../../src/session/model/later-records';
import { prestartLoadWorker } from '../../src/session/model/load-worker-host';
import { callchain } from '../../src/session/query/samples';
import { SessionService } from '../../src/session/service';
import type { Profile } from '../../src/shared/model';
import { FIXTURES, recording } from '../support/recordings';
import { fixtureSymbols } from '../support/session';

/**
 * The session's open leaves out the consumed CALLCHAIN_DEFERRED records that merged into samples
 * (LoadOptions.recordsLater) and reads them when the merging-off sample list first asks: what it
 * then has is what a load keeping them all has, and no row the profile had moves.
 */
const DEFERRED = readdirSync(join(FIXTURES, 'deferred'))
  .filter((d) => !d.includes('.'))
  .map((d) => `deferred/${d}`);

async function load(path: string, symbols: string, options: LoadOptions): Promise<Profile> {
  const reader = PerfDataReader.open(path);
  try {
    return await loadProfile(reader, { symbols: fixtureSymbols(symbols), ...options });
  } finally {
    reader.close();
  }
}

/** A thread's records with their stacks as frames (indices may differ between two loads). */
function records(p: Profile, t: number): unknown[] {
  const d = p.threads[t]!.deferredRecords;
  return Array.from({ length: d.length }, (_, i) => ({
    time: d.time[i],
    cookie: [d.cookieLo[i], d.cookieHi[i]],
    mergedInto: d.mergedInto[i],
    stack: callchain(p, d.stack[i]!).map((f) => `${f.name} ${f.lib} ${f.address}`),
  }));
}

/** Every table's rows, to compare a profile's before and after with. */
const tables = (p: Profile): unknown =>
  structuredClone({
    strings: p.strings,
    libs: p.libs,
    funcs: p.funcs,
    frames: p.frames,
    stacks: p.stacks,
  });

/** The first `n` rows of each of `p`'s tables (its columns cut to `n`s of `before`). */
function prefixOf(p: Profile, before: Profile): unknown {
  const cut = <T extends { length: number }>(t: T, n: number): T =>
    Object.fromEntries(
      Object.entries(t).map(([k, v]) => [
        k,
        k === 'length' ? n : (v as unknown as Int32Array).slice(0, n),
      ]),
    ) as T;
  return structuredClone({
    strings: p.strings.slice(0, before.strings.length),
    libs: cut(p.libs, before.libs.length),
    funcs: cut(p.funcs, before.funcs.length),
    frames: cut(p.frames, before.frames.length),
    stacks: cut(p.stacks, before.stacks.length),
  });
}

describe('deferred records read when first asked for', () => {
  it.each(DEFERRED.flatMap((rel) => [`${rel} worker`, `${rel} single-thread`]))(
    '%s: the records of a load keeping them all; every row the profile had stays',
    async (name) => {
      const [rel, how] = name.split(' ');
      const singleThread = how === 'single-thread';
      const path = join(FIXTURES, rel!, 'perf.data');
      const symbols = join(FIXTURES, rel!);
      const full = await load(path, symbols, { singleThread });
      // the session's loads take the load worker it started ahead (told what to load by message)
      if (!singleThread) prestartLoadWorker();
      const lazy = await load(path, symbols, { singleThread, recordsLater: true });
      const threads = full.threads.map((_, t) => t);
      expect(lazy.threads.map((t) => [t.pid, t.tid])).toEqual(
        full.threads.map((t) => [t.pid, t.tid]),
      );
      const merged = full.threads.some((t) => t.deferredRecords.mergedInto.some((n) => n > 0));
      expect(lazy.meta.deferredRecordsLater).toBe(merged ? true : undefined);
      // before: the records that merged into no sample or are not of their samples' thread
      for (const t of threads) {
        const all = records(full, t) as { mergedInto: number; stack: string[] }[];
        const kept = records(lazy, t);
        expect(all.filter((r) => kept.some((k) => isDeepStrictEqual(k, r)))).toEqual(kept);
        for (const r of all) if (r.mergedInto === 0) expect(kept).toContainEqual(r);
      }
      const count = (p: Profile): number =>
        p.threads.reduce((n, t) => n + t.deferredRecords.length, 0);
      if (merged) expect(count(lazy)).toBeLessThan(count(full));
      const before = tables(lazy);
      const beforeProfile = { ...lazy, ...(before as object) } as Profile;
      await readLaterRecords(lazy, { symbols: fixtureSymbols(symbols) });
      expect(lazy.meta.deferredRecordsLater).toBeUndefined();
      for (const t of threads) expect(records(lazy, t)).toEqual(records(full, t));
      expect(prefixOf(lazy, beforeProfile)).toEqual(before);
      // the samples' stacks, both views, are untouched
      for (const t of threads) {
        const a = lazy.threads[t]!.samples;
        const b = full.threads[t]!.samples;
        for (let i = 0; i < a.length; i += Math.max(1, a.length >> 4)) {
          for (const view of ['stack', 'rawStack'] as const)
            expect(callchain(lazy, a[view][i]!)).toEqual(callchain(full, b[view][i]!));
        }
      }
      // asked again: nothing more to read
      await readLaterRecords(lazy);
      for (const t of threads) expect(records(lazy, t)).toEqual(records(full, t));
    },
  );

  it.each(['single thread', 'worker', 'pipe-format file'])(
    'records whose stacks no sample has, records of another pid than their samples (%s)',
    async (how) => {
      const singleThread = how !== 'worker';
      // the first sample's kernel part and its record's ips are longer together than the stacks
      // kept (MAX_STACK): the record's stack alone is one no sample has; the second and last
      // records' pids are not their samples' (tid alone matches them)
      const hex = (base: number, n: number): string =>
        Array.from({ length: n }, (_, i) => (base + 16 * i).toString(16)).join(',');
      const path = recording(
        `
        event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output
        comm 10/11 t=50 app
        sample 10/11 t=100 chain=kernel:ffffffff81000001,${hex(0x81001000, 100)};deferred:0x5
        deferred 10/11 t=110 cookie=0x5 ips=${hex(0x401000, 60)}
        sample 10/11 t=120 chain=kernel:ffffffff81000002;deferred:0x6
        deferred 20/11 t=130 cookie=0x6 ips=403000
        deferred 10/11 t=135 cookie=0x9 ips=409000
        sample 10/11 t=140 chain=kernel:ffffffff81000003;deferred:0x7
        deferred 10/11 t=150 cookie=0x7 ips=404000
        sample -1/12 t=160 chain=kernel:ffffffff81000004;deferred:0x8
        deferred 10/12 t=170 cookie=0x8 ips=405000
      `,
        { pipe: how === 'pipe-format file' },
      );
      const full = await load(path, '', { singleThread });
      if (!singleThread) prestartLoadWorker();
      const lazy = await load(path, '', { singleThread, recordsLater: true });
      // kept: the record of pid 20, the one matching nothing, the one telling thread 12 its pid
      expect(lazy.threads.map((t) => Array.from(t.deferredRecords.cookieLo))).toEqual([
        [6, 9],
        [8],
      ]);
      expect(lazy.threads.map((t) => t.pid)).toEqual([10, 10]);
      const stacks = lazy.stacks.length;
      await readLaterRecords(lazy);
      expect(lazy.threads.map((t) => t.deferredRecords.length)).toEqual([4, 1]);
      for (const t of [0, 1]) expect(records(lazy, t)).toEqual(records(full, t));
      expect(lazy.stacks.length).toBeGreaterThan(stacks);
    },
  );

  it('a file changed since it was opened is not read again: the profile stays as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfws-later-'));
    const rel = 'deferred/fp-recurse-merged';
    const path = join(dir, 'perf.data');
    copyFileSync(join(FIXTURES, rel, 'perf.data'), path);
    const lazy = await load(path, join(FIXTURES, rel), { singleThread: true, recordsLater: true });
    expect(lazy.meta.deferredRecordsLater).toBe(true);
    const kept = lazy.threads.map((_, t) => records(lazy, t));
    appendFileSync(path, Buffer.alloc(8));
    await expect(readLaterRecords(lazy)).rejects.toThrow(/changed since it was opened/);
    expect(lazy.meta.deferredRecordsLater).toBe(true);
    expect(lazy.threads.map((_, t) => records(lazy, t))).toEqual(kept);
  });

  it('a read stopped (another recording opened) changes nothing; the session says so', async () => {
    const rel = 'deferred/fp-recurse-merged';
    const path = join(FIXTURES, rel, 'perf.data');
    const lazy = await load(path, join(FIXTURES, rel), { singleThread: true, recordsLater: true });
    const kept = lazy.threads.map((_, t) => records(lazy, t));
    await expect(readLaterRecords(lazy, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(lazy.meta.deferredRecordsLater).toBe(true);
    expect(lazy.threads.map((_, t) => records(lazy, t))).toEqual(kept);

    const service = new SessionService();
    const ctx = { signal: new AbortController().signal, emit: () => {} };
    await service.open({ path, symbols: fixtureSymbols(join(FIXTURES, rel)) }, ctx);
    const page = service.samples(
      { thread: 0, offset: 0, limit: 10, filters: { merge: false } },
      ctx,
    );
    const other = join(FIXTURES, 'deferred/multi-event-edge', 'perf.data');
    const reopened = service.open({ path: other, symbols: {} }, ctx);
    await expect(page).rejects.toMatchObject({ kind: 'cancelled' });
    await reopened;
  });

  it('the session: thread summaries say nothing of them until a merging-off page reads them', async () => {
    const rel = 'deferred/multi-event-edge';
    const path = join(FIXTURES, rel, 'perf.data');
    const full = await load(path, join(FIXTURES, rel), { singleThread: true });
    const service = new SessionService();
    const ctx = { signal: new AbortController().signal, emit: () => {} };
    await service.open({ path, symbols: fixtureSymbols(join(FIXTURES, rel)) }, ctx);
    const summaries = await service.threads(ctx);
    expect(summaries.every((t) => t.deferredRecords === undefined)).toBe(true);
    const t = full.threads.findIndex((th) => th.deferredRecords.length > 0);
    const merged = await service.samples(
      { thread: t, offset: 0, limit: 10, filters: { merge: true } },
      ctx,
    );
    expect(merged.deferredRecords).toBeUndefined();
    const raw = await service.samples(
      { thread: t, offset: 0, limit: 10, filters: { merge: false } },
      ctx,
    );
    const d = full.threads[t]!.deferredRecords;
    expect(raw.deferredRecords!.map((r) => [r.time, r.mergedInto])).toEqual(
      Array.from({ length: Math.min(d.length, 10_000) }, (_, i) => [d.time[i], d.mergedInto[i]]),
    );
    const after = await service.threads(ctx);
    expect(after.map((s) => s.deferredRecords)).toEqual(
      full.threads.map((th) => th.deferredRecords.length),
    );
  });
});
