#!/usr/bin/env node
// `npm run bench`: times perfws against perf on the same large recording, in one run, and prints
// the ratios. Uses GNU time for wall time and peak memory; the median of PERFWS_BENCH_RUNS runs.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const file = process.env.PERFWS_BENCH_FILE ?? '/tmp/perfbench/big.data';
const runs = Number(process.env.PERFWS_BENCH_RUNS ?? 3);
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

if (!existsSync(file)) {
  if (!have('perf')) {
    console.error(`No benchmark recording at ${file}, and perf is not installed to record one.`);
    console.error('Install perf (apt-get install linux-perf) and run scripts/bench/record-big.sh,');
    console.error('or set PERFWS_BENCH_FILE to a large perf.data.');
    process.exit(1);
  }
  console.log(`Recording the benchmark recording into ${dirname(file)} (65 s)...`);
  const r = spawnSync('bash', ['scripts/bench/record-big.sh', dirname(file)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
// Always rebuild: timing a stale bundle would measure old code.
if (
  spawnSync('npx', ['vite', 'build', '--config', 'vite.node.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  }).status !== 0
) {
  process.exit(1);
}
if (!existsSync('/usr/bin/time')) {
  console.error('GNU time (/usr/bin/time) is needed for peak memory: apt-get install time');
  process.exit(1);
}

/** Runs a shell command `runs` times; returns the median wall seconds and peak RSS in MB. */
function measure(cmd) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', `${cmd} > /dev/null`], {
      encoding: 'utf8',
    });
    const last = r.stderr.trim().split('\n').pop() ?? '';
    const [wall, kb] = last.split(' ').map(Number);
    if (r.status !== 0 || !Number.isFinite(wall)) {
      console.error(`failed: ${cmd}\n${r.stderr}`);
      process.exit(1);
    }
    samples.push({ wall, mb: kb / 1024 });
  }
  samples.sort((a, b) => a.wall - b.wall);
  return samples[Math.floor(samples.length / 2)];
}

const perfws = `node ${join('out', 'node', 'perfws.js')}`;
const mb = (statSync(file).size / 1e6).toFixed(0);
console.log(
  `\nRecording: ${file} (${mb} MB), median of ${runs} run(s); ratios are perf / perfws\n`,
);
const row = (label, o, t, note = '') => {
  const ratio = t
    ? `${(t.wall / o.wall).toFixed(2)}x faster, ${(o.mb / t.mb).toFixed(2)}x perf's memory`
    : note;
  console.log(
    `${label.padEnd(46)} perfws ${o.wall.toFixed(2).padStart(6)} s ${o.mb.toFixed(0).padStart(5)} MB` +
      (t
        ? `   perf ${t.wall.toFixed(2).padStart(6)} s ${t.mb.toFixed(0).padStart(5)} MB   `
        : '   ') +
      ratio,
  );
};
const compare = (label, ours, theirs, note) => {
  // Interleave ours and perf's runs so that machine noise hits both alike.
  const o = measure(ours);
  const t = theirs && have('perf') ? measure(theirs) : undefined;
  row(label, o, t, note ?? '(perf cannot read it)');
  return o;
};

// The desktop app: load into the model and draw the first flame graph, vs perf report.
const load = spawnSync('node', [join('out', 'node', 'bench-load.js'), file], { encoding: 'utf8' });
const loadFacts = load.stdout.trim();
const classicLoad = compare(
  'load + first flame graph  vs  perf report --stdio',
  `node out/node/bench-load.js ${file}`,
  `perf report -i ${file} --stdio`,
);
console.log(`   (in-process: ${loadFacts})`);

// Folded export vs perf script | stackcollapse-perf.pl (set STACKCOLLAPSE_PL to compare).
const stackcollapse = process.env.STACKCOLLAPSE_PL;
const classicCollapse = compare(
  'collapse  vs  perf script | stackcollapse-perf.pl',
  `${perfws} collapse -i ${file}`,
  stackcollapse && existsSync(stackcollapse)
    ? `perf script -i ${file} | perl ${stackcollapse}`
    : undefined,
  '(set STACKCOLLAPSE_PL=/path/to/stackcollapse-perf.pl to compare)',
);
compare(
  'script -F comm,pid,tid,time,period,event,ip',
  `${perfws} script -i ${file} -F comm,pid,tid,time,period,event,ip`,
  `perf script -i ${file} -F comm,pid,tid,time,period,event,ip`,
);
compare('script (default fields)', `${perfws} script -i ${file}`, `perf script -i ${file}`);
compare(
  'stats  vs  perf report --stats',
  `${perfws} stats -i ${file}`,
  `perf report --stats -i ${file}`,
);

const deferred = file.replace(/(\.data)?$/, '-deferred.data');
if (!existsSync(deferred)) {
  const r = spawnSync('node', ['--import', 'tsx', 'scripts/deferify.ts', file, deferred], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(1);
}
// The deferred variant against the classic recording it was made from (perf cannot read it).
const ratio = (d, c) => `${(d.wall / c.wall).toFixed(2)}x the classic recording's time`;
const deferredLoad = compare(
  'deferred variant: load + first flame graph',
  `node out/node/bench-load.js ${deferred}`,
);
console.log(`   (${ratio(deferredLoad, classicLoad)})`);
const deferredCollapse = compare('deferred variant: collapse', `${perfws} collapse -i ${deferred}`);
console.log(`   (${ratio(deferredCollapse, classicCollapse)})`);
compare(
  'deferred variant: script -F ...,ip (merging)',
  `${perfws} script -i ${deferred} -F comm,pid,tid,time,period,event,ip`,
);
