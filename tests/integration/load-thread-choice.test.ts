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

  test('either way, the same profile', async () => {
    const load = async (singleThread?: boolean) => {
      const reader = PerfDataReader.open(fixture('forkexec'));
      try {
        return await loadProfile(reader, {
          symbols: fixtureSymbols(join(FIXTURES, 'real', 'forkexec')),
          singleThread,
        });
      } finally {
        reader.close();
      }
    };
    const [byDefault, worker] = [await load(), await load(false)];
    expect(worker.stacks).toEqual(byDefault.stacks);
    expect(worker.threads.map((t) => t.samples.time)).toEqual(
      byDefault.threads.map((t) => t.samples.time),
    );
  });
});
