import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeferredMerger, MergeStatus } from '../../src/session/merge/deferred-merge';
import { PerfDataReader, type ReadOptions } from '../../src/session/perf-data/reader';
import { wordHex, wordsLength } from '../../src/session/perf-data/u64';
import { writePerfData, type WriteOptions } from './perf-data-writer';

export const FIXTURES = join(__dirname, '..', 'fixtures');

let dir: string | undefined;
/** Writes bytes to a fresh temporary file and returns its path. */
export function tempFile(bytes: Uint8Array, name = 'perf.data'): string {
  dir ??= mkdtempSync(join(tmpdir(), 'perfws-test-'));
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

export function recording(description: string, options?: WriteOptions): string {
  return tempFile(writePerfData(description, options));
}

const STATUS_NAMES: Record<number, string> = {
  [MergeStatus.CLASSIC]: 'classic',
  [MergeStatus.MERGED]: 'merged',
  [MergeStatus.UNMERGED_COOKIE_MISMATCH]: 'mismatch',
  [MergeStatus.UNMERGED_END_OF_SESSION]: 'end',
  [MergeStatus.DEFERRED_RAW]: 'raw',
};

/** Delivered samples as compact text lines: `tid time status chain...`. */
export async function mergeTrace(path: string, merge = true, options: ReadOptions = {}) {
  const reader = PerfDataReader.open(path);
  const lines: string[] = [];
  const merger = new DeferredMerger(merge, {
    sample: (r, chain, status) => {
      const words: string[] = [];
      for (let i = 0; chain && i < wordsLength(chain); i++) words.push(wordHex(chain, i));
      lines.push(`${r.sample.tid} ${r.sample.time} ${STATUS_NAMES[status]} ${words.join(',')}`);
    },
    deferred: (r) => lines.push(`${r.sid.tid} ${r.sid.time} record ${r.cookie.toString(16)}`),
    other: () => {},
  });
  const result = await reader.read((r) => merger.accept(r), options);
  merger.finish();
  reader.close();
  return { lines, stats: merger.stats, result, reader };
}
