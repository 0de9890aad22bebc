import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeferredMerger, MergeStatus } from '../../src/session/merge/deferred-merge';
import { PerfDataReader, type ReadOptions } from '../../src/session/perf-data/reader';
import {
  hexFromHalves,
  wordHex,
  wordsLength,
  type U64Words,
} from '../../src/session/perf-data/u64';
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

/**
 * A small deferred recording with a bit of everything, for comparing ways of reading it (file and
 * pipe mode): two events sharing a record, two threads, a cookie mismatch, rounds, a sample still
 * waiting at the end.
 */
export const MIXED_DEFERRED = `
  event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output
  event task-clock type=1 config=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain
  comm 10/11 t=50 app
  sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
  sample 10/11 t=100 event=1 chain=kernel:ffffffff81000001;deferred:0x5
  sample 20/21 t=101 chain=deferred:0x9
  deferred 10/11 t=110 cookie=0x5 ips=401000,402000
  round
  sample 20/21 t=120 chain=deferred:0x8
  deferred 20/21 t=125 cookie=0x8 ips=501000
  sample 10/11 t=130 chain=deferred:0x6
`;

export function recording(description: string, options?: WriteOptions): string {
  return tempFile(writePerfData(description, options));
}

export const STATUS_NAMES: Record<number, string> = {
  [MergeStatus.CLASSIC]: 'classic',
  [MergeStatus.MERGED]: 'merged',
  [MergeStatus.UNMERGED_COOKIE_MISMATCH]: 'mismatch',
  [MergeStatus.UNMERGED_END_OF_SESSION]: 'end',
  [MergeStatus.DEFERRED_RAW]: 'raw',
};

/** A callchain's entries in hex, comma-separated ('' for none). */
export function chainHex(chain: U64Words | undefined): string {
  const words: string[] = [];
  for (let i = 0; chain && i < wordsLength(chain); i++) words.push(wordHex(chain, i));
  return words.join(',');
}

/** Delivered samples as compact text lines: `tid time status chain...`. */
export async function mergeTrace(path: string, merge = true, options: ReadOptions = {}) {
  const reader = PerfDataReader.open(path);
  const lines: string[] = [];
  const merger = new DeferredMerger(
    merge,
    {
      sample: (r, chain, status) =>
        lines.push(`${r.sample.tid} ${r.sample.time} ${STATUS_NAMES[status]} ${chainHex(chain)}`),
      deferred: (r) =>
        lines.push(`${r.sid.tid} ${r.sid.time} record ${hexFromHalves(r.cookieLo, r.cookieHi)}`),
      other: () => {},
    },
    // waiting samples keep their read buffer when the reader reuses its buffers
    { retain: () => reader.retainDelivered() },
  );
  const result = await reader.read((r) => merger.accept(r), options);
  merger.finish();
  reader.close();
  return { lines, stats: merger.stats, result, reader };
}
