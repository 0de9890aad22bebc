/**
 * The desktop app's open, for `npm run bench`: load a recording into the model and answer the
 * first flame graph, as the session does when a window opens. Prints one JSON line.
 *
 * The session starts its load worker when it starts (prestartLoadWorker): so does this, before
 * the rest of the session's modules are imported.
 */
import { prestartLoadWorker } from '../src/session/model/load-worker-host';

prestartLoadWorker();
const { loadProfile } = await import('../src/session/model/model-builder');
const { PerfDataReader } = await import('../src/session/perf-data/reader');
const { flameGraph } = await import('../src/session/query/flame-graph');

const t0 = performance.now();
const reader = PerfDataReader.open(process.argv[2]!);
const profile = await loadProfile(reader, {
  singleThread: process.argv.includes('--single-thread'),
  rawView: !process.argv.includes('--no-raw-view'),
  // as the session's open: the deferred records the merge consumed are read when first shown
  recordsLater: !process.argv.includes('--records-now'),
});
const t1 = performance.now();
const flame = flameGraph(profile, { filters: {}, width: 1600 });
const t2 = performance.now();
// --merging-off: then what the first sample page with merging off costs (reading the records)
let mergingOffPageMs: number | undefined;
if (process.argv.includes('--merging-off')) {
  const { readLaterRecords } = await import('../src/session/model/later-records');
  const { samplePage } = await import('../src/session/query/samples');
  await readLaterRecords(profile);
  const thread = profile.threads.findIndex((t) => t.deferredRecords.length > 0);
  samplePage(profile, { thread, offset: 0, limit: 100, filters: { merge: false } });
  mergingOffPageMs = Math.round(performance.now() - t2);
}
process.stdout.write(
  JSON.stringify({
    loadMs: Math.round(t1 - t0),
    firstFlameGraphMs: Math.round(t2 - t1),
    mergingOffPageMs,
    samples: profile.meta.samples,
    stacks: profile.stacks.length,
    flameNodes: flame.depth.length,
  }) + '\n',
);
