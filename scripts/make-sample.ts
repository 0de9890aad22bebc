/**
 * Builds resources/sample/: the recording `npm start` opens. It is tests/fixtures/deferred/
 * multi-event-edge (real `perf record -g` of five named threads, rewritten into perf 6.19's
 * deferred-callchain format with unmerged samples, cookie mismatches and classic samples), with
 * the DSOs its frames fall in (symfs/) and the lines of kallsyms its kernel frames need.
 * usage: node --import tsx scripts/make-sample.ts
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadProfile } from '../src/session/model/model-builder';
import { LibKind } from '../src/shared/model';
import { PerfDataReader } from '../src/session/perf-data/reader';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'tests', 'fixtures');
const source = join(fixtures, 'deferred', 'multi-event-edge', 'perf.data');
const out = join(root, 'resources', 'sample');
const symfs = join(fixtures, 'real', 'symfs');
const kallsyms = join(fixtures, 'real', 'kallsyms');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'symfs'), { recursive: true });
copyFileSync(source, join(out, 'perf.data'));

const reader = PerfDataReader.open(source);
const profile = await loadProfile(reader, {
  symbols: { symfs, kallsyms, buildidDir: '/nonexistent' },
});
reader.close();

// DSO files of the libraries sample frames fall in.
for (let l = 0; l < profile.libs.length; l++) {
  if (profile.libs.kind[l] !== LibKind.FILE) continue;
  const path = profile.strings[profile.libs.path[l]!]!;
  const to = join(out, 'symfs', path);
  mkdirSync(dirname(to), { recursive: true });
  try {
    copyFileSync(join(symfs, path), to);
  } catch {
    // not in the fixtures' symfs either: it stays unresolved in the sample too
  }
}

// kallsyms: the reference symbols and, for every kernel frame, every symbol at the address of
// its symbol and at the next address (symbol ends come from the next symbol).
const lines = readFileSync(kallsyms, 'utf8').split('\n').filter(Boolean);
const addrs = lines.map((l) => BigInt(`0x${l.slice(0, l.indexOf(' '))}`));
const keep = new Set<number>();
lines.forEach((l, i) => {
  if (/ (_text|_stext|_etext)$/.test(l)) keep.add(i);
});
const kernelFrames: bigint[] = [];
for (let f = 0; f < profile.frames.length; f++) {
  const a = profile.frames.address[f]!;
  if (a < 0) kernelFrames.push(BigInt.asUintN(64, BigInt(a)));
}
for (const ip of kernelFrames) {
  let lo = 0;
  let hi = addrs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (addrs[mid]! <= ip) lo = mid;
    else hi = mid - 1;
  }
  const at = addrs[lo]!;
  for (let i = lo; i >= 0 && addrs[i] === at; i--) keep.add(i);
  let j = lo + 1;
  while (j < addrs.length && addrs[j] === at) keep.add(j++);
  const next = addrs[j];
  for (; j < addrs.length && addrs[j] === next; j++) keep.add(j);
}
writeFileSync(
  join(out, 'kallsyms'),
  [...keep]
    .sort((a, b) => a - b)
    .map((i) => lines[i])
    .join('\n') + '\n',
);
writeFileSync(
  join(out, 'README.md'),
  `# The sample recording

What \`npm start\` opens. \`perf.data\` is \`tests/fixtures/deferred/multi-event-edge\`: a real
\`perf record -e task-clock,cpu-clock -g\` of a program with five named threads, rewritten into
Linux 6.19's deferred user callchain format, including samples whose user stack never arrived,
cookie mismatches and samples the kernel left classic. \`symfs/\` holds the DSOs its frames fall in
and \`kallsyms\` the kernel symbols its frames need (made by \`scripts/make-sample.ts\`).

    npx perfws script -i resources/sample/perf.data --symfs resources/sample/symfs --kallsyms resources/sample/kallsyms
`,
);
console.log(`resources/sample: ${profile.meta.samples} samples, ${keep.size} kallsyms lines`);
