import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { runAnnotate, type AnnotateOptions } from '../../src/session/annotate/run-annotate';
import { FIXTURES } from '../support/recordings';

const REAL = join(FIXTURES, 'real');
const DEFERRED = join(FIXTURES, 'deferred');
const EMPTY_BUILDID_DIR = mkdtempSync(join(tmpdir(), 'perfws-buildid-'));

/**
 * The oracles were made with /usr/lib/debug and the workloads' folder hidden (objdump finds
 * detached debug info and source files there by itself), the `-src` ones with the workloads'
 * sources where they were built. objdump runs in the same sandbox where this machine has either
 * folder, and always for `-src`; where no sandbox works those comparisons are skipped, saying why.
 */
const LEAKS = ['/usr/lib/debug', '/tmp/perfreal'].filter(
  (d) => existsSync(d) && readdirSync(d).length > 0,
);
const SANDBOX = join(__dirname, '..', 'support', 'sandboxed-objdump.sh');
const SOURCES = join(REAL, 'workloads');
const sandboxWorks = (() => {
  try {
    execFileSync(SANDBOX, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
function objdumpFor(sources: boolean): { objdump?: string; skip?: string } {
  if (LEAKS.length === 0 && !sources) return {};
  if (sandboxWorks) return { objdump: SANDBOX };
  const why = sources
    ? 'the sources cannot be put where the binaries say'
    : `${LEAKS.join(' and ')} would leak into objdump's output`;
  return { skip: `${why} and no sandbox works here` };
}

type Args = Pick<AnnotateOptions, 'symbol' | 'showNrSamples'> & {
  symfs: boolean;
  demangle?: boolean;
  /** objdump finds the workloads' sources (the -src oracles). */
  sources?: boolean;
};

async function annotate(
  path: string,
  args: Args,
  merge = true,
): Promise<{ out: string; err: string }> {
  const reader = PerfDataReader.open(path);
  let out = '';
  let err = '';
  if (args.sources) process.env.PERFWS_OBJDUMP_SOURCES = SOURCES;
  else delete process.env.PERFWS_OBJDUMP_SOURCES;
  try {
    const result = await runAnnotate(reader, {
      symbol: args.symbol,
      showNrSamples: args.showNrSamples,
      merge,
      // the kernel cases: perf found ../kallsyms in its build-id cache, we are given it
      symbols: {
        ...(args.symfs ? { symfs: join(REAL, 'symfs') } : { kallsyms: join(REAL, 'kallsyms') }),
        buildidDir: EMPTY_BUILDID_DIR,
        demangle: args.demangle,
      },
      objdump: objdumpFor(args.sources ?? false).objdump,
      write: (s) => (out += s),
      error: (s) => (err += s),
    });
    expect(result.error).toBeUndefined();
  } finally {
    reader.close();
  }
  // perf names the file as given: the oracles ran with -i perf.data
  return { out, err: err.replaceAll(path, 'perf.data') };
}

/** Splits a shell command line (plain words and single-quoted words). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2]!);
  return words;
}

function annotateArgs(words: string[]): Args {
  const args: Args = { symfs: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-s') args.symbol = words[++i];
    else if (w === '-n') args.showNrSamples = true;
    else if (w === '--no-demangle') args.demangle = false;
    else if (w === '--symfs=../symfs') args.symfs = true;
    else if (w === '--buildid-dir' || w === '-i') i++;
    else if (!/^(perf|annotate|--stdio)$/.test(w)) {
      throw new Error(`unexpected perf annotate argument ${w}`);
    }
  }
  return args;
}

interface Case {
  name: string;
  output: string;
  args: Args;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const name of readdirSync(REAL)) {
    const file = join(REAL, name, 'oracle', 'annotate', 'commands.txt');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^(perf .*) > oracle\/annotate\/(\S+)\.txt/.exec(line);
      if (!m) continue;
      const args = annotateArgs(shellWords(m[1]!));
      args.sources = /-src(-|$)/.test(m[2]!);
      all.push({ name, output: m[2]!, args });
    }
  }
  return all;
}

function oracle(name: string, output: string, stream: 'txt' | 'stderr.txt'): string {
  const file = join(REAL, name, 'oracle', 'annotate', `${output}.${stream}`);
  return existsSync(file) ? readFileSync(file, 'latin1') : '';
}

const ALL = cases();
/** `it`, or `it.skip` (with the reason printed once) where objdump cannot see what perf saw. */
const skipped = new Set<string>();
function testFor(sources: boolean): (name: string, fn: () => Promise<void>) => void {
  const { skip } = objdumpFor(sources);
  if (!skip) return it;
  if (!skipped.has(skip)) console.warn(`annotate oracle tests skipped: ${skip}`);
  skipped.add(skip);
  return it.skip;
}
const test = testFor(false);

describe('perfws annotate equals perf annotate 6.1 --stdio, byte for byte', () => {
  it('has the oracles', () => expect(ALL.length).toBeGreaterThanOrEqual(30));

  for (const c of ALL) {
    const label = [
      c.name,
      ...(c.args.symbol ? [`-s ${c.args.symbol}`] : []),
      ...(c.args.showNrSamples ? ['-n'] : []),
      ...(c.args.demangle === false ? ['--no-demangle'] : []),
      ...(c.args.sources ? ['(sources found)'] : []),
    ].join(' ');
    testFor(c.args.sources ?? false)(label, async () => {
      const { out, err } = await annotate(join(REAL, c.name, 'perf.data'), c.args);
      expect(out).toBe(oracle(c.name, c.output, 'txt'));
      // perf's own messages: "Couldn't annotate" for kernel functions, "no samples"
      expect(err).toBe(oracle(c.name, c.output, 'stderr.txt'));
    });
  }
});

/**
 * The function each end-of-session sample of an -edge variant was taken in, from the original's
 * `perf script` oracle (the first frame of the sample at the same thread and time).
 */
function flushedSamplesIn(deferred: string, original: string, func: string): number {
  const sidecar = JSON.parse(readFileSync(join(DEFERRED, deferred, 'perf.data.json'), 'utf8')) as {
    samples: { tid: number; time: number; unmerged_by?: string }[];
  };
  const script = readFileSync(join(REAL, original, 'oracle', 'script.txt'), 'utf8');
  let n = 0;
  for (const s of sidecar.samples) {
    if (s.unmerged_by !== 'flush') continue;
    const time = `${Math.floor(s.time / 1e9)}.${String(Math.floor((s.time % 1e9) / 1e3)).padStart(6, '0')}:`;
    const at = script.indexOf(` ${s.tid}  ${time} `);
    expect(at, `${deferred}: the sample of ${s.tid} at ${time}`).toBeGreaterThan(0);
    const firstFrame = script.slice(script.indexOf('\n', at) + 1).split('\n', 1)[0]!;
    if (firstFrame.includes(` ${func}+`)) n++;
  }
  return n;
}

describe('deferred recordings: merged samples count where their ip is (the original oracles)', () => {
  const deferredCases: [string, string, string[]][] = [
    ['fp-recurse-merged', 'fp-recurse', ['leaf_work', 'fib', 'leaf_work-n']],
    ['fp-recurse-edge', 'fp-recurse', ['leaf_work', 'recurse_b']],
    ['multi-event-merged', 'multi-event', ['pthread_mutex_lock', 'hash_block-n']],
    ['dlopen-edge', 'dlopen', ['plugin_inner']],
  ];
  for (const [deferred, original, outputs] of deferredCases) {
    for (const output of outputs) {
      const c = ALL.find((x) => x.name === original && x.output === output)!;
      for (const merge of [true, false]) {
        test(`${deferred} ${output}${merge ? '' : ' --no-merge-callchains'}`, async () => {
          const { out } = await annotate(join(DEFERRED, deferred, 'perf.data'), c.args, merge);
          const expected = oracle(original, output, 'txt');
          const flushed =
            merge && deferred.endsWith('-edge')
              ? flushedSamplesIn(deferred, original, c.args.symbol!)
              : 0;
          if (flushed === 0) {
            expect(out).toBe(expected);
            return;
          }
          // Samples still queued at the end are delivered after their thread's EXIT: perf 6.19's
          // annotate keeps no exited threads (only report does), so they land on a new thread
          // without maps and leave the function's histogram (docs/deferred-callchains.md).
          const count = (text: string) => Number(/\((\d+) samples,/.exec(text)?.[1]);
          expect(count(out)).toBe(count(expected) - flushed);
        });
      }
    }
  }
});

describe('the binary comes from the build-id cache when there is no symfs', () => {
  /** A cache as perf buildid-cache lays it out: .build-id/xx/rest -> ../../<path>/<id>/elf. */
  function buildIdCache(file: string, buildId: string): string {
    const root = mkdtempSync(join(tmpdir(), 'perfws-cache-'));
    const dir = join(root, 'tmp', 'perfreal', 'bin', 'recurse-fp', buildId);
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, join(dir, 'elf'));
    mkdirSync(join(root, '.build-id', buildId.slice(0, 2)), { recursive: true });
    symlinkSync(
      join('..', '..', 'tmp', 'perfreal', 'bin', 'recurse-fp', buildId),
      join(root, '.build-id', buildId.slice(0, 2), buildId.slice(2)),
    );
    return root;
  }

  test('fp-recurse leaf_work, symbols and code from the cache', async () => {
    const buildId = '7ccf95f75395a37a868d59535fe02623c4f34369';
    const cache = buildIdCache(
      join(REAL, 'symfs', 'tmp', 'perfreal', 'bin', 'recurse-fp'),
      buildId,
    );
    const reader = PerfDataReader.open(join(REAL, 'fp-recurse', 'perf.data'));
    let out = '';
    try {
      await runAnnotate(reader, {
        symbol: 'leaf_work',
        symbols: { buildidDir: cache, kallsyms: join(REAL, 'kallsyms') },
        objdump: objdumpFor(false).objdump,
        write: (s) => (out += s),
        error: () => undefined,
      });
    } finally {
      reader.close();
    }
    expect(out).toBe(oracle('fp-recurse', 'leaf_work', 'txt'));
  });
});
