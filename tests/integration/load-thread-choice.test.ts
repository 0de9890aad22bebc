/**
 * Which thread reads a recording: a load worker pays off only for large recordings (it starts in
 * about 0.1 s); small ones are read on the session's thread unless a caller says otherwise.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { loadProfile, readsInWorker, WORKER_MIN_DATA } from '../../src/session/model/model-builder';
import { FIXTURES } from '../support/recordings';
import { replicate } from '../support/replicate';
import { fixtureSymbols } from '../support/session';

const fixture = (name: string): string => join(FIXTURES, 'real', name, 'perf.data');

function choice(path: string, singleThread?: boolean): boolean {
  const reader = PerfDataReader.open(path);
  try {
    return readsInWorker(reader, { singleThread });
  } finally {
    reader.close();
  }
}

describe('the load worker', () => {
  test('a small recording is read on this thread unless a worker is asked for', () => {
    expect(choice(fixture('fp-recurse'))).toBe(false);
    expect(choice(fixture('fp-recurse'), false)).toBe(true);
    expect(choice(fixture('fp-recurse'), true)).toBe(false);
  });

  test('a recording with WORKER_MIN_DATA bytes of data or more is read in a worker', () => {
    const big = join(mkdtempSync(join(tmpdir(), 'perfws-worker-')), 'perf.data');
    const copies = Math.ceil(WORKER_MIN_DATA / 200_000) + 1;
    replicate(fixture('fp-recurse'), big, copies);
    expect(choice(big)).toBe(true);
    expect(choice(big, true)).toBe(false);
  });

  test('compressed data is read in a worker however small the file', () => {
    expect(choice(fixture('compressed-zstd'))).toBe(true);
  });

  test('a pipe-mode recording is always read on this thread', () => {
    expect(choice(fixture('pipe-forkexec'))).toBe(false);
    expect(choice(fixture('pipe-forkexec'), false)).toBe(false);
  });

  // Every column of every thread, the tables they index and the timeline: the worker's batches
  // (and the session thread's shortcuts through them) build what one thread builds.
  test.each([
    ['real', 'forkexec'],
    ['real', 'sched-switch-wide'],
    ['real', 'offcpu-wide'],
    ['real', 'dwarf-recurse'],
    ['deferred', 'multi-event-edge'],
    ['deferred', 'forkexec-edge'],
    ['deferred', 'group-leader-merged'],
    ['deferred', 'switch-events-edge'],
  ])('either way, the same profile: %s/%s', async (kind, name) => {
    const dir = join(FIXTURES, kind, name);
    const load = async (singleThread: boolean) => {
      const reader = PerfDataReader.open(join(dir, 'perf.data'));
      try {
        return await loadProfile(reader, { symbols: fixtureSymbols(dir), singleThread });
      } finally {
        reader.close();
      }
    };
    const [thread, worker] = [await load(true), await load(false)];
    expect(worker.threads.reduce((n, t) => n + t.samples.length, 0)).toBeGreaterThan(40);
    expect(worker.threads).toEqual(thread.threads);
    expect(worker.stacks).toEqual(thread.stacks);
    expect(worker.frames).toEqual(thread.frames);
    expect(worker.funcs).toEqual(thread.funcs);
    expect(worker.markers).toEqual(thread.markers);
    expect(worker.events).toEqual(thread.events);
    expect(worker.meta.merge).toEqual(thread.meta.merge);
  });
});
