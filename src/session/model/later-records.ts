/**
 * The consumed CALLCHAIN_DEFERRED records a profile loaded with LoadOptions.recordsLater left out
 * (meta.deferredRecordsLater), read when first asked for: a second load of the file, interning
 * into the first load's tables, so every row the profile has keeps its index and each record's
 * stack is one of them (or is added after them). Only the merging-off view's sample list shows
 * these records; leaving them out of the open spares a deferred recording about a sixth of its
 * load.
 */
import type { DeferredRecordTable, Profile } from '../../shared/model';
import type { PipelineOptions } from '../pipeline';
import { PerfDataReader } from '../perf-data/reader';
import { buildModel, fileIdentity, keptForLater } from './model-builder';

/**
 * Fills in the records `profile` left for later (nothing when it left none): each thread's
 * deferredRecords becomes what a load keeping them all makes. Throws, changing nothing, when the
 * file is no longer the one loaded or its second read does not meet the same threads.
 */
export async function readLaterRecords(
  profile: Profile,
  options: Pick<PipelineOptions, 'symbols' | 'signal'> = {},
): Promise<void> {
  const kept = keptForLater.get(profile);
  if (!profile.meta.deferredRecordsLater || !kept) return;
  const path = profile.meta.path;
  if (fileIdentity(path) !== kept.file) {
    throw new Error(
      `${path} changed since it was opened: open it again to see its CALLCHAIN_DEFERRED records`,
    );
  }
  const reader = PerfDataReader.open(path);
  try {
    const { builder } = await buildModel(reader, { ...options, rawView: true }, kept.tables);
    const placed = new Map<number, DeferredRecordTable>();
    builder.deferredRecordsByThread(kept.start).forEach((t, k) => {
      const at = k < kept.threadIndexes.length ? kept.threadIndexes[k]! : -1;
      const th = profile.threads[at];
      if (th && th.pid === t.pid && th.tid === t.tid && th.samples.length === t.samples) {
        placed.set(at, t.records);
      } else if (t.samples > 0 || t.records.length > 0) {
        throw new Error(
          `${path} read again met thread ${t.pid}/${t.tid} where its first read met ` +
            (th ? `${th.pid}/${th.tid}` : 'none') +
            ': its CALLCHAIN_DEFERRED records cannot be placed',
        );
      }
    });
    for (const [at, records] of placed) profile.threads[at]!.deferredRecords = records;
    // rows the records added come after every row the profile had (the strings grow in place)
    profile.libs = kept.tables.libs.finish();
    profile.funcs = kept.tables.funcs.finish();
    profile.frames = kept.tables.frames.finish();
    profile.stacks = kept.tables.stacks.finish();
    delete profile.meta.deferredRecordsLater;
    keptForLater.delete(profile);
  } finally {
    reader.close();
  }
}
