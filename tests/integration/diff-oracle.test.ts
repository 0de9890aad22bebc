import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deferify } from '../../scripts/deferify';
import { resolveDiffConfig } from '../../src/session/diff/diff-config';
import { runDiff, type DiffOptions } from '../../src/session/diff/run-diff';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { perfDemangle } from '../../src/session/symbols';
import { FIXTURES, tempFile } from '../support/recordings';

/** real/diff: recordings of one boot, their trimmed kallsyms, perf diff's outputs (oracle/). */
const DIFF = join(FIXTURES, 'real', 'diff');
const ROOT = join(__dirname, '..', '..');
const SYMBOLS = {
  symfs: join(FIXTURES, 'real', 'symfs'),
  kallsyms: join(DIFF, 'kallsyms'),
  buildidDir: mkdtempSync(join(tmpdir(), 'perfws-buildid-')),
};

type DiffArgs = Omit<DiffOptions, 'write' | 'symbols'>;

/** `perf diff` options of a commands.txt line, as runDiff options, and the recordings. */
function diffCommand(line: string): { args: DiffArgs; files: string[]; output: string } {
  const [, command, output] = /^(.*) > (oracle\/\S+)$/.exec(line)!;
  const words = command!.split(' ');
  const args: DiffArgs = {};
  const files: string[] = [];
  const value = (i: number): string => words[i + 1]!;
  for (let i = words.indexOf('diff') + 1; i < words.length; i++) {
    const w = words[i]!;
    if (/^--(symfs|kallsyms)=/.test(w)) continue;
    else if (w === '-c') args.compute = value(i++);
    else if (w === '-o') args.order = value(i++);
    else if (w === '-s') args.sort = value(i++);
    else if (w === '-d') args.dsos = value(i++);
    else if (w === '-C') args.comms = value(i++);
    else if (w === '-S') args.symbolList = value(i++);
    else if (w === '--percentage') args.percentage = value(i++);
    else if (w === '-p') args.period = true;
    else if (w === '-F') args.formula = true;
    else if (w === '-b') args.baselineOnly = true;
    else if (w === '-q') args.quiet = true;
    else if (w.endsWith('/perf.data')) files.push(w);
    else throw new Error(`unexpected perf diff argument ${w}`);
  }
  return { args, files, output: output! };
}

const COMMANDS = readFileSync(join(DIFF, 'oracle', 'commands.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('perf '))
  .map(diffCommand);

/** perfws diff of recordings (paths relative to real/diff, as perf was given them). */
async function diff(
  files: readonly string[],
  args: DiffArgs,
  paths = files,
  symbols: DiffOptions['symbols'] = SYMBOLS,
): Promise<string> {
  const inputs = files.map((f, i) => ({
    reader: PerfDataReader.open(resolve(DIFF, f)),
    path: paths[i]!,
  }));
  let text = '';
  try {
    const results = await runDiff(inputs, { ...args, symbols, write: (s) => (text += s) });
    for (const r of results) expect(r.error).toBeUndefined();
  } finally {
    for (const input of inputs) input.reader.close();
  }
  return text;
}

const oracle = (output: string): string => readFileSync(join(DIFF, output), 'utf8');

describe('perfws diff equals perf diff 6.1, byte for byte', () => {
  it('has an oracle for every computation, column and sort option of the issue', () => {
    const flags = new Set(COMMANDS.flatMap((c) => Object.keys(c.args)));
    for (const f of ['compute', 'order', 'sort', 'period', 'formula', 'percentage', 'quiet']) {
      expect(flags).toContain(f);
    }
    const computes = new Set(COMMANDS.map((c) => c.args.compute?.replace(/:.*/, '')));
    expect([...computes].sort()).toEqual(['delta', 'ratio', 'wdiff', undefined].sort());
    expect(COMMANDS.some((c) => c.files.length === 3)).toBe(true);
  });

  for (const { args, files, output } of COMMANDS) {
    it(`${output}: ${files.join(' ')}`, async () => {
      expect(await diff(files, args)).toBe(oracle(output));
    });
  }
});

describe('--no-demangle (perfws symbol option; perf 6.1 diff has none and always demangles)', () => {
  it("prints the symbols' linkage names where perf diff prints demangled ones, nothing else", async () => {
    const pair = ['cxx-0.1/perf.data', 'cxx-0.2-f1999/perf.data'];
    const mangled = await diff(pair, {}, pair, { ...SYMBOLS, demangle: false });
    const rows = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));
    const expected = rows(oracle('oracle/cxx.txt'));
    const actual = rows(mangled);
    expect(actual).toHaveLength(expected.length);
    let changed = 0;
    actual.forEach((line, i) => {
      const [columns, symbol] = line.split(/(?<=\] )/);
      const [oracleColumns, oracleSymbol] = expected[i]!.split(/(?<=\] )/);
      expect(columns).toBe(oracleColumns);
      if (symbol === oracleSymbol) return;
      changed++;
      expect(symbol).toMatch(/^_Z/);
      expect(perfDemangle(symbol!)).toBe(oracleSymbol);
    });
    expect(changed).toBeGreaterThan(5);
  });
});

describe('deferred recordings are merged first (perf 6.19), then compared', () => {
  /** The pair rewritten into the deferred-callchain format, as a kernel 6.19 writes it. */
  const deferred = (name: string): string =>
    tempFile(deferify(new Uint8Array(readFileSync(join(DIFF, name, 'perf.data')))), `${name}.data`);

  it('merged, the deferred pair compares like the classic pair', async () => {
    const base = deferred('threads-0.1');
    const next = deferred('threads-0.3');
    const text = await diff([base, next], {}, ['threads-0.1/perf.data', 'threads-0.3/perf.data']);
    expect(text).toBe(oracle('oracle/duration.txt'));
    // -c ratio prints every period: the merged samples keep theirs
    const ratio = await diff([base, next], { compute: 'ratio', period: true });
    const classic = await diff(['threads-0.1/perf.data', 'threads-0.3/perf.data'], {
      compute: 'ratio',
      period: true,
    });
    expect(ratio).toBe(classic);
  });

  it('unmerged (--no-merge-callchains), the samples are the same: only their stacks differ', async () => {
    const base = deferred('threads-0.1');
    const next = deferred('cxx-0.2-f1999');
    const text = await diff([base, next], { merge: false });
    expect(text).toBe(await diff(['threads-0.1/perf.data', 'cxx-0.2-f1999/perf.data'], {}));
  });
});

describe('perfws diff on the command line', () => {
  /** `perfws diff ARGS` run from real/diff. */
  const perfws = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src', 'cli', 'perfws.ts'), 'diff', ...args],
      { cwd: DIFF, encoding: 'utf8', timeout: 120_000 },
    );
  const symbols = [
    `--symfs=${SYMBOLS.symfs}`,
    '--kallsyms=kallsyms',
    `--buildid-dir=${SYMBOLS.buildidDir}`,
  ];

  it("prints perf's output for perf's command line (option prefixes included)", () => {
    const run = perfws(
      ...symbols,
      '--comp=ratio',
      '-p',
      'cxx-0.1/perf.data',
      'cxx-0.2-f1999/perf.data',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(oracle('oracle/period-ratio.txt'));
  });

  it("refuses bad options with perf's messages (exit 2) and a missing file (exit 1)", () => {
    const bad = perfws(...symbols, '-o', '2', 'threads-0.1/perf.data', 'threads-0.3/perf.data');
    expect(bad.stderr).toBe('perfws: Order option out of limit.\n');
    expect(bad.status).toBe(2);
    const missing = perfws(...symbols, 'threads-0.1/perf.data', 'nothing/perf.data');
    expect(missing.stderr).toBe('perfws: nothing/perf.data: no such file\n');
    expect(missing.status).toBe(1);
  });
});

describe("perf diff's option rules (setup_compute, data_init)", () => {
  it('reads -c as perf does: a method, wdiff with two non-zero weights', () => {
    expect(resolveDiffConfig({}, 2)).toMatchObject({ compute: 'delta-abs', sortCompute: 1 });
    expect(resolveDiffConfig({ compute: 'wdiff:-3,+2', order: '0' }, 2)).toMatchObject({
      compute: 'wdiff',
      weights: { w1: -3n, w2: 2n },
      sortCompute: 0,
    });
    const refused: [DiffArgs, string][] = [
      [{ compute: 'wdiff:3' }, "Failed: wrong weight data, use 'wdiff:w1,w2'"],
      [{ compute: 'wdiff:3,x' }, "Failed: wrong weight data, use 'wdiff:w1,w2'"],
      [{ compute: 'ratio:2' }, "Failed: extra option specified '2'"],
      [
        { compute: 'sum' },
        "Failed: 'sum' is not computation method (use 'delta','ratio' or 'wdiff')",
      ],
      [{ order: '2' }, 'Order option out of limit.'],
      [{ order: '-1' }, "option `order' expects an unsigned numerical value"],
      [{ percentage: 'most' }, 'Invalid percentage: most'],
    ];
    for (const [args, message] of refused) {
      expect(() => resolveDiffConfig(args, 2)).toThrow(message);
    }
    expect(resolveDiffConfig({ order: '2' }, 3).sortCompute).toBe(2);
  });
});
