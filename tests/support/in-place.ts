/**
 * Records read in place (PerfDataReader's plainSamples, plainDeferred, deferredRecords) against
 * the same records parsed: what the merge delivers either way, written down line by line.
 */
import { DeferredMerger, MergeStatus } from '../../src/session/merge/deferred-merge';
import type { ChunkLease } from '../../src/session/perf-data/byte-window';
import type { EventDesc } from '../../src/session/perf-data/evlist';
import { PerfDataReader } from '../../src/session/perf-data/reader';

const words = (w: Uint32Array | undefined): string => (w ? Array.from(w).join(',') : '-');

/** What a sample read in place stands for: its tid and its first `head` chain words. */
export function placed(lease: ChunkLease, record: number, event: EventDesc, head?: number) {
  const l = event.plainSample!;
  const v = lease.view;
  const at = record + 8;
  const from = (at + l.fixed) / 4;
  const chain =
    l.callchain < 0
      ? undefined
      : lease.words.subarray(from, from + (head ?? 2 * v.getUint32(at + l.callchain, true)));
  return { tid: l.tid < 0 ? -1 : v.getInt32(at + l.tid + 4, true), chain };
}

/**
 * Everything the merge delivers, written down while the sink runs, then the reader's warnings
 * and out-of-order count;
 * `inPlace`: plain samples are read where they lie (ReadOptions.plainSamples; with `deferred`,
 * the deferred ones and the CALLCHAIN_DEFERRED records too, as the load worker reads them),
 * written down as the merge would have delivered them, and counted.
 */
export async function delivered(
  path: string,
  recycleBuffers: boolean,
  inPlace?: { count: number; deferred?: boolean; records?: number },
): Promise<string[]> {
  const out: string[] = [];
  const sampleLine = (tid: number, time: number, status: number, chain: string) =>
    out.push(`S ${tid} ${time} ${status} ${chain}`);
  const merger = new DeferredMerger(
    true,
    {
      sample: (r, chain, status) => sampleLine(r.sample.tid, r.sample.time, status, words(chain)),
      plain: (lease, record, event, time, status) => {
        const { tid, chain } = placed(lease, record, event);
        sampleLine(tid, time, status, words(chain));
      },
      plainMerged: (lease, record, event, time, head, ips, ipsFrom, ipsLength) => {
        const { tid, chain } = placed(lease, record, event, head);
        const user = words(ips.subarray(ipsFrom, ipsFrom + ipsLength));
        sampleLine(tid, time, MergeStatus.MERGED, `${words(chain)},${user}`);
      },
      consumed: (r, n) => out.push(`D ${r.sid.tid} ${r.sid.time} ${n} ${words(r.ips)}`),
      consumedPlain: (lease, record, event, time, n) => {
        // read here as perf lays the record out (header, cookie, nr, ips, then the sample_id
        // trailer with pid and tid first), not by the code under test
        const v = lease.view;
        const trailer = record + v.getUint16(record + 6, true) - event.idTrailerSize;
        const tid = v.getInt32(trailer + 4, true);
        const from = (record + 24) / 4;
        const ips = lease.words.subarray(from, from + 2 * v.getUint32(record + 16, true));
        out.push(`D ${tid} ${time} ${n} ${words(ips)}`);
      },
      other: (r) => out.push(`${r.type} ${r.sid.time}`),
    },
    // waiting samples keep their read buffer (what the load worker does)
    { retain: () => reader.retainDelivered() },
  );
  const reader = PerfDataReader.open(path);
  try {
    await reader.read((r) => merger.accept(r), {
      recycleBuffers,
      plainDeferred: inPlace?.deferred,
      deferredRecords: inPlace?.deferred
        ? (lease, record, event, time) => {
            inPlace.records = (inPlace.records ?? 0) + 1;
            merger.acceptPlainRecord(lease, record, event, time);
          }
        : undefined,
      plainSamples: inPlace
        ? (lease, record, event, time, deferred) => {
            inPlace.count++;
            if (deferred) return merger.acceptPlain(lease, record, event, time);
            const { tid, chain } = placed(lease, record, event);
            sampleLine(tid, time, MergeStatus.CLASSIC, words(chain));
          }
        : undefined,
    });
    merger.finish();
    for (const w of reader.warnings) out.push(`W ${w.offset} ${w.message}`);
    out.push(`O ${reader.stats.outOfOrder}`);
  } finally {
    reader.close();
  }
  return out;
}

/**
 * Where two deliveries first differ (undefined: nowhere): what a failure prints, where a diff of
 * hundreds of thousands of lines would take minutes to make.
 */
export function firstDifference(got: string[], expected: string[]) {
  const at = got.findIndex((line, i) => line !== expected[i]);
  if (at >= 0) return { at, got: got[at], expected: expected[at] };
  if (got.length !== expected.length) return { length: got.length, expected: expected.length };
  return undefined;
}
