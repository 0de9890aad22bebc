import { DeferredMerger, type MergeStats } from './merge/deferred-merge';
import type { PerfDataReader, ReadResult } from './perf-data/reader';

/** Everything `perfws stats` reports about one read of a recording. */
export interface RecordingStats {
  /** Records per type name, as read (records inside COMPRESSED ones included). */
  records: Record<string, number>;
  samples: number;
  merge: MergeStats;
  lost: { events: number; samples: number };
  unknownRecordTypes: Record<string, number>;
  recordsWithUnknownId: number;
  skippedRecords: number;
  outOfOrder: number;
  warnings: { message: string; offset: number }[];
  truncatedAt?: number;
  error?: { message: string; offset: number; field?: string };
}

/**
 * Reads the whole recording once and counts. Samples are only counted, not parsed (as `perf
 * report --stats` does: a malformed sample then goes unnoticed), unless `parseSamples` or the
 * merge statistics need them: when an event defers its user callchains, or in pipe mode, where
 * the events are known only as the stream goes.
 */
export async function collectStats(
  reader: PerfDataReader,
  options: { signal?: AbortSignal; parseSamples?: boolean } = {},
): Promise<RecordingStats> {
  const countSamples =
    !options.parseSamples &&
    !reader.header.pipe &&
    !reader.events.events.some((e) => e.deferCallchain);
  const merger = new DeferredMerger(
    true,
    { sample: () => {}, other: () => {} },
    { transient: true, retain: () => reader.retainDelivered() },
  );
  let result: ReadResult;
  try {
    result = await reader.read((r) => merger.accept(r), {
      signal: options.signal,
      recycleBuffers: true,
      countSamples,
    });
  } finally {
    merger.finish();
  }
  const s = reader.stats;
  const stats: RecordingStats = {
    records: Object.fromEntries(s.records),
    samples: s.records.get('SAMPLE') ?? 0,
    merge: merger.stats,
    lost: { events: s.lostEvents, samples: s.lostSamples },
    unknownRecordTypes: Object.fromEntries([...s.unknownTypes].map(([t, n]) => [String(t), n])),
    recordsWithUnknownId: s.unknownIds,
    skippedRecords: s.badRecords,
    outOfOrder: s.outOfOrder,
    warnings: reader.warnings,
  };
  if (result.truncatedAt !== undefined) stats.truncatedAt = result.truncatedAt;
  if (result.error) {
    stats.error = {
      message: result.error.message,
      offset: result.error.offset,
      field: result.error.field,
    };
  }
  return stats;
}

/** The same as a readable table. */
export function formatStats(stats: RecordingStats): string {
  const lines: string[] = [];
  const total = Object.values(stats.records).reduce((a, b) => a + b, 0);
  const w = 22;
  lines.push('Records:');
  lines.push(`  ${'TOTAL'.padStart(w)}  ${String(total).padStart(10)}`);
  for (const [name, n] of Object.entries(stats.records).sort((a, b) => b[1] - a[1])) {
    const pct = total ? ((100 * n) / total).toFixed(1) : '0.0';
    lines.push(`  ${name.padStart(w)}  ${String(n).padStart(10)}  (${pct.padStart(5)}%)`);
  }
  lines.push('');
  lines.push(`Samples: ${stats.samples}`);
  lines.push(`Lost: ${stats.lost.events} events, ${stats.lost.samples} samples`);
  const m = stats.merge;
  lines.push('');
  lines.push('Deferred callchains:');
  const row = (label: string, n: number): string =>
    `  ${label.padEnd(36)} ${String(n).padStart(10)}`;
  lines.push(row('deferred samples', m.deferredSamples));
  lines.push(row('  merged', m.merged));
  lines.push(row('  unmerged: cookie mismatch', m.unmergedCookieMismatch));
  lines.push(row('  unmerged: end of recording', m.unmergedEndOfSession));
  lines.push(row('CALLCHAIN_DEFERRED records', m.deferredRecords));
  lines.push(row('  shared by several samples', m.recordsSharedBySeveralSamples));
  lines.push(row('  matching no sample', m.recordsMatchingNothing));
  const unknown = Object.entries(stats.unknownRecordTypes);
  if (unknown.length || stats.recordsWithUnknownId || stats.skippedRecords) {
    lines.push('');
    lines.push('Skipped:');
    for (const [t, n] of unknown) lines.push(row(`unknown record type ${t}`, n));
    if (stats.recordsWithUnknownId)
      lines.push(row('records with an unknown event id', stats.recordsWithUnknownId));
    if (stats.skippedRecords) lines.push(row('unparsable records', stats.skippedRecords));
  }
  if (stats.outOfOrder) lines.push(`\nOut-of-order records: ${stats.outOfOrder}`);
  if (stats.truncatedAt !== undefined)
    lines.push(`\nTruncated at byte offset ${stats.truncatedAt}`);
  if (stats.error) lines.push(`\nStopped by an error: ${stats.error.message}`);
  return lines.join('\n') + '\n';
}
