#!/usr/bin/env node
// `npm run mutation-check`: how many small plausible bugs the tests catch. Each mutation of
// scripts/mutation-check-list.mjs is planted, one at a time, in a scratch copy of the repository
// (src and tests copied, everything else linked), the test files it names are run against it, and
// the mutation counts as caught when they fail. Prints caught/missed per mutation and the score;
// exits 1 when any mutation is missed or went stale.
//
//   node scripts/mutation-check.mjs [--only ID,ID] [--area AREA,AREA] [--tests A,B] [--list] [--check] [--full] [--keep]
//
//   --only, --area  a subset: these ids, and every mutation of these areas
//   --list          print the mutations and stop
//   --check         only check that every find text occurs exactly once (no tests run)
//   --tests A,B     run these test paths for every chosen mutation instead of the listed ones
//   --full          for a missed mutation, also run the whole unit/integration/renderer suite
//   --keep          keep the scratch copy (its path is printed)
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATIONS } from './mutation-check-list.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
/** A run that hangs this long counts as caught (the bug made a test loop) and is stopped. */
const RUN_TIMEOUT_MS = 15 * 60 * 1000;
/** Copied into the scratch tree (mutated there); everything else is linked. */
const COPIED = ['src', 'tests'];
const SKIPPED = new Set(['.git', 'out', 'test-results', 'playwright-report', 'coverage']);

function parseArgs(argv) {
  const opts = {
    only: undefined,
    area: undefined,
    list: false,
    check: false,
    tests: undefined,
    full: false,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') opts.only = new Set(argv[++i]?.split(','));
    else if (a === '--area') opts.area = new Set(argv[++i]?.split(','));
    else if (a === '--list') opts.list = true;
    else if (a === '--check') opts.check = true;
    else if (a === '--tests') opts.tests = argv[++i]?.split(',');
    else if (a === '--full') opts.full = true;
    else if (a === '--keep') opts.keep = true;
    else throw new Error(`unknown argument ${a} (see the comment at the top of this script)`);
  }
  return opts;
}

/** A tree where src/ and tests/ are copies (tests/fixtures linked) and the rest is linked. */
function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'perfws-mutants-'));
  for (const name of readdirSync(ROOT)) {
    if (SKIPPED.has(name)) continue;
    const from = join(ROOT, name);
    if (COPIED.includes(name)) {
      cpSync(from, join(dir, name), {
        recursive: true,
        filter: (src) => relative(ROOT, src) !== join('tests', 'fixtures'),
      });
    } else {
      symlinkSync(from, join(dir, name));
    }
  }
  mkdirSync(join(dir, 'tests'), { recursive: true });
  symlinkSync(join(ROOT, 'tests', 'fixtures'), join(dir, 'tests', 'fixtures'));
  return dir;
}

/** Runs vitest on `tests` in `dir` (only tests named like `filter`, if given). */
function testsPass(dir, tests, filter) {
  const run = spawnSync(
    process.execPath,
    [
      VITEST,
      'run',
      '--passWithNoTests',
      '--reporter=dot',
      ...(filter ? ['-t', filter] : []),
      ...tests,
    ],
    {
      cwd: dir,
      env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
      encoding: 'utf8',
      timeout: RUN_TIMEOUT_MS,
      maxBuffer: 64 << 20,
    },
  );
  if (run.error?.code === 'ETIMEDOUT') return { pass: false, timedOut: true, output: '' };
  if (run.error) throw run.error;
  return { pass: run.status === 0, timedOut: false, output: `${run.stdout}\n${run.stderr}` };
}

function occurrences(text, find) {
  let n = 0;
  for (let at = text.indexOf(find); at >= 0; at = text.indexOf(find, at + 1)) n++;
  return n;
}

function seconds(start) {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

/** The scratch copy, removed on exit and on Ctrl+C (unless --keep). */
let scratch;

function main() {
  const opts = parseArgs(process.argv.slice(2));
  // --only and --area add up: a mutation named by either runs
  const chosen = MUTATIONS.filter(
    (m) => (!opts.only && !opts.area) || opts.only?.has(m.id) || opts.area?.has(m.area),
  ).map((m) => (opts.tests ? { ...m, tests: opts.tests, filter: undefined } : m));
  if (opts.list) {
    for (const m of MUTATIONS) console.log(`${m.id.padEnd(30)} ${m.area.padEnd(9)} ${m.what}`);
    return 0;
  }
  if (opts.check) {
    const stale = chosen.filter(
      (m) => occurrences(readFileSync(join(ROOT, m.file), 'utf8'), m.find) !== 1,
    );
    for (const m of stale) console.log(`STALE   ${m.id}: find text not exactly once in ${m.file}`);
    console.log(`${chosen.length - stale.length}/${chosen.length} mutations apply`);
    return stale.length ? 1 : 0;
  }
  if (chosen.length === 0) {
    console.error('mutation-check: no mutation matches');
    return 2;
  }

  const dir = scratchCopy();
  scratch = opts.keep ? undefined : dir;
  console.log(`mutation-check: ${chosen.length} mutations, scratch copy ${dir}`);
  try {
    // The tests must pass as they are, or "caught" means nothing (one run per -t filter).
    const startBaseline = Date.now();
    const byFilter = new Map();
    for (const m of chosen) {
      const paths = byFilter.get(m.filter) ?? new Set();
      for (const t of m.tests) if (existsSync(join(dir, t))) paths.add(t);
      byFilter.set(m.filter, paths);
    }
    for (const [filter, paths] of byFilter) {
      const baseline = testsPass(dir, [...paths], filter);
      if (!baseline.pass) {
        console.error(baseline.output);
        console.error('mutation-check: the tests fail without any mutation; fix that first');
        return 2;
      }
    }
    console.log(`baseline: the named tests pass unmutated (${seconds(startBaseline)})\n`);

    const results = [];
    for (const m of chosen) {
      const path = join(dir, m.file);
      const original = readFileSync(path, 'utf8');
      const count = occurrences(original, m.find);
      if (count !== 1) {
        results.push({ m, verdict: 'stale', note: `find text occurs ${count} times in ${m.file}` });
        console.log(`STALE   ${m.id}: find text occurs ${count} times in ${m.file}`);
        continue;
      }
      const tests = m.tests.filter((t) => existsSync(join(dir, t)));
      const absent = m.tests.filter((t) => !tests.includes(t));
      const start = Date.now();
      writeFileSync(
        path,
        original.replace(m.find, () => m.replace),
      );
      let verdict;
      let note = absent.length ? `not present: ${absent.join(', ')}` : '';
      try {
        const run = tests.length
          ? testsPass(dir, tests, m.filter)
          : { pass: true, timedOut: false };
        verdict = run.pass ? 'missed' : 'caught';
        if (run.timedOut) note = `${note} timed out`.trim();
        if (verdict === 'missed' && opts.full) {
          const full = testsPass(dir, ['tests/unit', 'tests/integration', 'tests/renderer']);
          if (!full.pass) note = `${note} (the full suite catches it)`.trim();
        }
      } finally {
        writeFileSync(path, original);
      }
      results.push({ m, verdict, note });
      console.log(
        `${verdict === 'caught' ? 'caught ' : 'MISSED '} ${m.id.padEnd(30)} ${m.area.padEnd(9)} ${seconds(start).padStart(8)}  ${note}`,
      );
    }

    const caught = results.filter((r) => r.verdict === 'caught').length;
    const missed = results.filter((r) => r.verdict !== 'caught');
    console.log(
      `\nscore: ${caught}/${results.length} caught (${Math.round((100 * caught) / results.length)}%)`,
    );
    for (const r of missed) console.log(`  ${r.verdict}: ${r.m.id} (${r.m.area}): ${r.m.what}`);
    return missed.length ? 1 : 0;
  } finally {
    if (opts.keep) console.log(`scratch copy kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  });
}
process.exitCode = main();
