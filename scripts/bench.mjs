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

/** One run of a shell command: wall seconds and peak RSS in MB. */
function once(cmd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', `${cmd} > /dev/null`], {
    encoding: 'utf8',
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, kb] = last.split(' ').map(Number);
  if (r.status !== 0 || !Number.isFinite(wall)) {
    console.error(`failed: ${cmd}\n${r.stderr}`);
    process.exit(1);
  }
  return { wall, mb: kb / 1024 };
}

/**
 * Rounds for commands that take under a second: one slow run in three moves such a median, and
 * this machine's pauses (a tenth of a second or more) can take most of seven.
 */
const SHORT_RUNS = 11;

/**
 * Runs the commands in turn, `runs` rounds (A B A B ...: this machine's speed drifts over minutes,
 * so commands compared with each other see the same drift), SHORT_RUNS when all of them took
 * under a second the first time; the median run of each.
 */
function measure(...cmds) {
  const samples = cmds.map(() => []);
  let rounds = runs;
  for (let i = 0; i < rounds; i++) {
    cmds.forEach((cmd, k) => samples[k].push(once(cmd)));
    if (i === 0 && samples.every((s) => s[0].wall < 1)) rounds = Math.max(runs, SHORT_RUNS);
  }
  return samples.map((s) => {
    s.sort((a, b) => a.wall - b.wall);
    return s[Math.floor(s.length / 2)];
  });
}

const perfws = `node ${join('out', 'node', 'perfws.js')}`;
const mb = (statSync(file).size / 1e6).toFixed(0);
console.log(
  `\nRecording: ${file} (${mb} MB), median of ${runs} run(s) (${SHORT_RUNS} for commands under 1 s); ratios are perf / perfws\n`,
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
const compare = (label, ours, theirs) => {
  const [o, t] = measure(ours, ...(theirs && have('perf') ? [theirs] : []));
  row(label, o, t, '(perf cannot read it)');
  return o;
};

// The desktop app: load into the model and draw the first flame graph, vs perf report.
const load = spawnSync('node', [join('out', 'node', 'bench-load.js'), file], { encoding: 'utf8' });
const loadFacts = load.stdout.trim();
compare(
  'load + first flame graph  vs  perf report --stdio',
  `node out/node/bench-load.js ${file}`,
  `perf report -i ${file} --stdio`,
);
console.log(`   (in-process: ${loadFacts})`);

// The folded export vs perf report (what it replaces), and vs perf script | stackcollapse-perf.pl
// when STACKCOLLAPSE_PL names it.
compare(
  'collapse  vs  perf report --stdio',
  `${perfws} collapse -i ${file}`,
  `perf report -i ${file} --stdio`,
);
// The same report, byte for byte (the header comments and perf's random tip aside).
compare(
  'report  vs  perf report --stdio',
  `${perfws} report -i ${file}`,
  `perf report -i ${file} --stdio`,
);
const stackcollapse = process.env.STACKCOLLAPSE_PL;
if (stackcollapse && existsSync(stackcollapse)) {
  compare(
    'collapse  vs  perf script | stackcollapse-perf.pl',
    `${perfws} collapse -i ${file}`,
    `perf script -i ${file} | perl ${stackcollapse}`,
  );
} else {
  console.log('   (set STACKCOLLAPSE_PL=/path/to/stackcollapse-perf.pl to compare with it too)');
}
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
// The deferred variant against the classic recording it was made from (perf cannot read it),
// each run next to one of the classic recording.
const againstClassic = (label, deferredCmd, classicCmd) => {
  const [d, c] = measure(deferredCmd, classicCmd);
  row(label, d, undefined, '(perf cannot read it)');
  console.log(
    `   (${(d.wall / c.wall).toFixed(2)}x the classic recording's ${c.wall.toFixed(2)} s, run alternately)`,
  );
};
againstClassic(
  'deferred variant: load + first flame graph',
  `node out/node/bench-load.js ${deferred}`,
  `node out/node/bench-load.js ${file}`,
);
const offPage = spawnSync(
  'node',
  [join('out', 'node', 'bench-load.js'), deferred, '--merging-off'],
  { encoding: 'utf8' },
);
console.log(
  `   (in-process, then the first sample page with merging off: ${offPage.stdout.trim()})`,
);
againstClassic(
  'deferred variant: collapse',
  `${perfws} collapse -i ${deferred}`,
  `${perfws} collapse -i ${file}`,
);
compare(
  'deferred variant: script -F ...,ip (merging)',
  `${perfws} script -i ${deferred} -F comm,pid,tid,time,period,event,ip`,
);
