/** Times loading a recording into the model (the desktop app's open), for `npm run bench`. */
import { PerfDataReader } from '../src/session/perf-data/reader';
import { loadProfile } from '../src/session/build/model-builder';
const t0 = performance.now();
const reader = PerfDataReader.open(process.argv[2]!);
const profile = await loadProfile(reader);
const t1 = performance.now();
process.stdout.write(
  JSON.stringify({
    loadMs: Math.round(t1 - t0),
    samples: profile.meta.samples,
    stacks: profile.stacks.length,
  }) + '\n',
);
