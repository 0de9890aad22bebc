import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { DeferredMerger } from '../../src/session/merge/deferred-merge';
import { BatchWriter, SHIPPED, type SampleBatch } from '../../src/session/model/sample-batches';
import { FIXTURES } from '../support/recordings';

/**
 * A load worker's BatchWriter, fed as the worker feeds it (samples read in place), with a session
 * thread that always has time: it ships merged samples' chains, never classic ones.
 */
async function shippedAndNumbered(path: string): Promise<{ shipped: number; numbered: number }> {
  const reader = PerfDataReader.open(path);
  const batches: SampleBatch[] = [];
  const writer = new BatchWriter(
    (b) => batches.push(structuredClone(b)),
    () => true,
  );
  try {
    const merger = new DeferredMerger(
      true,
      {
        sample: (r, chain, status) => writer.sample(r, chain, status),
        merged: (r, head, ips) => writer.mergedSample(r, head, ips),
        plain: (lease, record, event, time, status) =>
          writer.plainSample(lease, record, event, time, status),
        plainMerged: (lease, record, event, time, head, ips, from, length, wide) =>
          writer.plainMergedSample(lease, record, event, time, head, ips, from, length, wide),
        other: () => {},
      },
      { transient: true, retain: () => reader.retainDelivered() },
    );
    await reader.read((r) => merger.accept(r), {
      recycleBuffers: true,
      plainSamples: (lease, record, event, time, deferred) => {
        if (deferred) merger.acceptPlain(lease, record, event, time);
        else writer.plainSample(lease, record, event, time);
      },
      plainDeferred: true,
      deferredRecords: (lease, record, event, time) =>
        merger.acceptPlainRecord(lease, record, event, time),
    });
    merger.finish();
    writer.flush();
  } finally {
    reader.close();
  }
  let shipped = 0;
  let numbered = 0;
  for (const b of batches)
    for (let i = 0; i < b.length; i++) {
      if (b.chain[i] === SHIPPED) shipped++;
      else if (b.chain[i]! >= 0) numbered++;
    }
  return { shipped, numbered };
}

describe('what a load worker ships to the session thread', () => {
  it('a classic recording: every chain numbered by the worker, though the session has time', async () => {
    const { shipped, numbered } = await shippedAndNumbered(
      join(FIXTURES, 'real', 'fp-recurse', 'perf.data'),
    );
    expect(numbered).toBeGreaterThan(100);
    expect(shipped).toBe(0);
  });

  it('a deferred recording: the merged samples’ chains are shipped', async () => {
    const { shipped } = await shippedAndNumbered(
      join(FIXTURES, 'deferred', 'fp-recurse-merged', 'perf.data'),
    );
    expect(shipped).toBeGreaterThan(100);
  });
});
