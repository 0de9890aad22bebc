import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Ajv from 'ajv';
import { Command } from 'commander';
import { Profile as PprofProfile } from 'pprof-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerExportCommand } from '../../src/cli/export-command';
import { pprofProfile } from '../../src/session/export/pprof';
import { speedscopeFile } from '../../src/session/export/speedscope';
import { loadProfile } from '../../src/session/model/model-builder';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { foldedLines, tidyName } from '../../src/session/query/folded';
import type { Filters } from '../../src/shared/contract';
import type { Profile } from '../../src/shared/model';
import { FIXTURES } from '../support/recordings';
import { context, fixtureSymbols, openFixture } from '../support/session';

/**
 * The pprof and speedscope exports (issue 14), read back by the tools that consume them: `go
 * tool pprof` (Debian's golang-go) and speedscope's published JSON schema. Their per-function
 * self weights, per-thread totals and totals are checked against stackcollapse-perf.pl's folded
 * stacks of perf script (oracle/folded.txt), made by perf, not by this code.
 */
const REAL = join(FIXTURES, 'real');
const out = mkdtempSync(join(tmpdir(), 'perfws-export-'));
const GO = spawnSync('go', ['version'], { encoding: 'utf8' });
const HAVE_GO = GO.status === 0;

async function load(name: string): Promise<Profile> {
  const dir = join(REAL, name);
  const reader = PerfDataReader.open(join(dir, 'perf.data'));
  try {
    return await loadProfile(reader, { symbols: fixtureSymbols(dir), singleThread: true });
  } finally {
    reader.close();
  }
}

/** Weight per key of folded lines (`stack weight`), keyed by `key(frames)`. */
function foldedSums(lines: readonly string[], key: (frames: string[]) => string) {
  const sums = new Map<string, number>();
  for (const line of lines) {
    const cut = line.lastIndexOf(' ');
    const k = key(line.slice(0, cut).split(';'));
    sums.set(k, (sums.get(k) ?? 0) + Number(line.slice(cut + 1)));
  }
  return sums;
}

const oracleFolded = (name: string): string[] =>
  readFileSync(join(REAL, name, 'oracle', 'folded.txt'), 'utf8')
    .split('\n')
    .filter(Boolean);

/** `go tool pprof -top -unit=ns` of a profile: flat weight per function name, and the total. */
function pprofTop(path: string): { flat: Map<string, number>; total: number; text: string } {
  const run = spawnSync(
    'go',
    ['tool', 'pprof', '-top', '-unit=ns', '-nodefraction=0', '-nodecount=1000000', path],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: out } },
  );
  expect(run.status, run.stderr).toBe(0);
  const total = /of (\d+)(?:ns)? total/.exec(run.stdout);
  expect(total, run.stdout).not.toBeNull();
  const flat = new Map<string, number>();
  const header = run.stdout.split('\n').findIndex((l) => /^\s+flat\s+flat%/.test(l));
  for (const line of run.stdout.split('\n').slice(header + 1)) {
    const m = /^\s*(\d+)(?:ns)?\s+\S+\s+\S+\s+\S+\s+\S+\s+(.*)$/.exec(line);
    if (!m) continue;
    flat.set(m[2]!, (flat.get(m[2]!) ?? 0) + Number(m[1]));
  }
  return { flat, total: Number(total![1]), text: run.stdout };
}

function writePprof(name: string, profile: Profile, filters: Filters = {}): string {
  const path = join(out, `${name}-${Math.random().toString(36).slice(2)}.pb.gz`);
  writeFileSync(path, pprofProfile(profile, { filters }));
  return path;
}

// single-event C recordings: perf script (so the folded oracle) shows exactly the exported event,
// and pprof prints their names whole (it shortens C++ names: no `-full` in go 1.19's pprof)
const ONE_EVENT = [
  'fp-recurse',
  'dwarf-recurse',
  'forkexec',
  'dlopen',
  'compressed-zstd',
  'taskclock-fixed-threads',
];

describe.skipIf(!HAVE_GO)(
  HAVE_GO
    ? `go tool pprof reads the pprof export (${GO.stdout.trim()})`
    : 'go tool pprof: skipped, `go` is not installed (apt-get install golang-go; .ci/run does)',
  () => {
    for (const name of ONE_EVENT) {
      it(`${name}: self weight per function and the total equal perf's folded stacks`, async () => {
        const profile = await load(name);
        const top = pprofTop(writePprof(name, profile));
        // stackcollapse cuts `lcg (inlined)` at its "(": `lcg `
        const folded = foldedSums(oracleFolded(name), (frames) =>
          frames[frames.length - 1]!.trim(),
        );
        const expected = new Map<string, number>();
        let total = 0;
        for (const [leaf, w] of folded) {
          total += w;
          expected.set(leaf, (expected.get(leaf) ?? 0) + w);
        }
        expect(top.total).toBe(total);
        // pprof names are the symbols; folded lines tidy them as stackcollapse-perf.pl does
        const actual = new Map<string, number>();
        for (const [fn, w] of top.flat) {
          if (w === 0) continue;
          // pprof marks inlined functions `lcg (inline)`
          const tidy = tidyName(fn).trim();
          actual.set(tidy, (actual.get(tidy) ?? 0) + w);
        }
        expect(actual).toEqual(new Map([...expected].filter(([, w]) => w !== 0)));
      });
    }
  },
);

describe('the pprof profile', () => {
  let profile: Profile;
  let decoded: PprofProfile;
  const str = (i: unknown) => decoded.stringTable.strings[Number(i)]!;
  beforeAll(async () => {
    profile = await load('dwarf-recurse');
    decoded = PprofProfile.decode(gunzipSync(pprofProfile(profile, { filters: {} })));
  });

  it('has both sample types, cpu/nanoseconds the default, period and duration', () => {
    expect(decoded.sampleType.map((t) => `${str(t.type)}/${str(t.unit)}`)).toEqual([
      'samples/count',
      'cpu/nanoseconds',
    ]);
    expect(str(decoded.defaultSampleType)).toBe('cpu');
    expect(Number(decoded.durationNanos)).toBe(Math.round(profile.meta.duration));
    // -F 199: the mean period of a cpu-clock sample is about 1/199 s
    expect(Number(decoded.period)).toBeGreaterThan(4_000_000);
    expect(Number(decoded.period)).toBeLessThan(6_000_000);
  });

  it('aggregates per distinct stack and labels, each sample labelled thread, tid, pid, comm', () => {
    const keys = new Set<string>();
    let samples = 0;
    for (const s of decoded.sample) {
      const labels = Object.fromEntries(
        s.label.map((l) => [str(l.key), Number(l.str) ? str(l.str) : Number(l.num)]),
      );
      expect(Object.keys(labels).sort()).toEqual(['comm', 'pid', 'thread', 'tid']);
      const key = `${s.locationId.join(',')}|${JSON.stringify(labels)}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
      samples += Number(s.value[0]);
    }
    expect(samples).toBe(profile.meta.samples);
    expect(decoded.sample.length).toBeLessThan(samples);
  });

  it('keeps inlined calls as lines of one location, innermost first', () => {
    const fn = (id: unknown) => str(decoded.function[Number(id) - 1]!.name);
    const inlined = decoded.location.filter((l) => l.line.length > 1);
    expect(inlined.length).toBeGreaterThan(0);
    // recurse.c: lcg() is inlined into leaf_work() (perf script prints `lcg (inlined)`)
    expect(inlined.map((l) => l.line.map((x) => fn(x.functionId)))).toContainEqual([
      'lcg',
      'leaf_work',
    ]);
  });

  it('has one mapping per library with its file name and build-id, the executable first', () => {
    const files = decoded.mapping.map((m) => str(m.filename));
    expect(files[0]).toBe('/tmp/perfreal/bin/recurse-nofp');
    expect(new Set(files).size).toBe(files.length);
    expect(str(decoded.mapping[0]!.buildId)).toMatch(/^[0-9a-f]{40}$/);
    for (const l of decoded.location) {
      if (!Number(l.mappingId)) continue;
      const m = decoded.mapping.find((x) => x.id === l.mappingId)!;
      expect(BigInt(l.address) >= BigInt(m.memoryStart)).toBe(true);
      expect(BigInt(l.address) < BigInt(m.memoryLimit)).toBe(true);
    }
  });

  it('takes the filters and transforms of the folded export', async () => {
    const p = await load('fp-recurse');
    const filters: Filters = { transforms: [{ kind: 'merge-function', name: 'recurse_a' }] };
    const pprof = PprofProfile.decode(gunzipSync(pprofProfile(p, { filters })));
    const names = pprof.function.map((f) => pprof.stringTable.strings[Number(f.name)]);
    expect(names).not.toContain('recurse_a');
    expect(names).toContain('recurse_b');
    let total = 0;
    for (const s of pprof.sample) total += Number(s.value[1]);
    const folded = [...foldedLines(p, { filters })].flat();
    expect(total).toBe([...foldedSums(folded, () => '').values()][0]);
  });
});

describe('the speedscope export', () => {
  const schema = JSON.parse(
    readFileSync(
      join(
        __dirname,
        '..',
        '..',
        'node_modules',
        'speedscope',
        'dist',
        'release',
        'file-format-schema.json',
      ),
      'utf8',
    ),
  );
  const validate = new Ajv({ allErrors: true }).compile(schema);

  for (const name of ['taskclock-fixed-threads', 'cxx-demangle']) {
    it(`${name}: validates against speedscope's schema; per-thread totals equal folded --tid`, async () => {
      const profile = await load(name);
      const file = speedscopeFile(profile, { filters: {} });
      const valid = validate(JSON.parse(JSON.stringify(file)));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      // stackcollapse-perf.pl --tid prefixes comm-PID/TID: totals per thread
      const folded = foldedSums([...foldedLines(profile, { filters: {}, tid: true })].flat(), (f) =>
        f[0]!.slice(f[0]!.lastIndexOf('/') + 1),
      );
      const perThread = new Map(
        file.profiles.map((p) => [/tid (\d+)\)$/.exec(p.name)![1]!, p.endValue]),
      );
      expect(perThread).toEqual(folded);
      for (const p of file.profiles) {
        expect(p.weights.reduce((a, b) => a + b, 0)).toBe(p.endValue);
        for (const stack of p.samples)
          for (const f of stack) expect(file.shared.frames[f]).toBeDefined();
      }
    });
  }
});

describe('perfws export on the command line', () => {
  async function perfwsExport(args: string[]): Promise<number> {
    const program = new Command().exitOverride();
    registerExportCommand(program);
    process.exitCode = 0;
    await program.parseAsync(['export', ...args], { from: 'user' });
    const code = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return code;
  }
  const symbols = (name: string) => {
    const s = fixtureSymbols(join(REAL, name));
    return ['--symfs', s.symfs!, '--kallsyms', s.kallsyms!, '--buildid-dir', s.buildidDir!];
  };

  it('writes the pprof of the samples the filters keep (--tid, --time)', async () => {
    const input = join(REAL, 'taskclock-fixed-threads', 'perf.data');
    const all = join(out, 'all.pb.gz');
    const some = join(out, 'some.pb.gz');
    expect(
      await perfwsExport([
        '--format',
        'pprof',
        '-i',
        input,
        '-o',
        all,
        ...symbols('taskclock-fixed-threads'),
      ]),
    ).toBe(0);
    const profile = await load('taskclock-fixed-threads');
    const tid = profile.threads.find((t) => t.samples.length > 0 && t.tid !== t.pid)!.tid;
    const args = ['--tid', String(tid), '--time', '0,0.05'];
    expect(
      await perfwsExport([
        '--format',
        'pprof',
        '-i',
        input,
        '-o',
        some,
        ...args,
        ...symbols('taskclock-fixed-threads'),
      ]),
    ).toBe(0);
    const count = (path: string) =>
      PprofProfile.decode(gunzipSync(readFileSync(path))).sample.reduce(
        (n, s) => n + Number(s.value[0]),
        0,
      );
    expect(count(all)).toBe(profile.meta.samples);
    const th = profile.threads.find((t) => t.tid === tid)!;
    const expected = [...th.samples.time].filter((t) => t < 0.05e9).length;
    expect(count(some)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });

  it('refuses an unknown format or event (exit 2)', async () => {
    const input = join(REAL, 'fp-recurse', 'perf.data');
    expect(await perfwsExport(['--format', 'svg', '-i', input])).toBe(2);
    expect(
      await perfwsExport([
        '--format',
        'pprof',
        '--event',
        'cycles',
        '-i',
        input,
        '-o',
        join(out, 'x'),
      ]),
    ).toBe(2);
  });
});

describe("the session's export (File → Export → pprof / speedscope in the app)", () => {
  async function exported(format: 'pprof' | 'speedscope', filters: Filters = {}) {
    const service = await openFixture('real/fp-recurse/perf.data');
    const events: { name: string; data: unknown }[] = [];
    const result = await service.exportFolded({ filters, format }, context(events));
    const chunks = events.filter((e) => e.name === 'chunk').map((e) => e.data as string);
    return { result, text: chunks.join('') };
  }

  it('sends pprof as base64 text, speedscope as JSON, with the filters applied', async () => {
    const profile = await load('fp-recurse');
    const filters: Filters = { frames: 'user' };
    const pprof = await exported('pprof', filters);
    const decoded = PprofProfile.decode(gunzipSync(Buffer.from(pprof.text, 'base64')));
    expect(decoded).toEqual(PprofProfile.decode(gunzipSync(pprofProfile(profile, { filters }))));
    const speedscope = await exported('speedscope', filters);
    expect(JSON.parse(speedscope.text)).toEqual(
      JSON.parse(JSON.stringify(speedscopeFile(profile, { filters }))),
    );
    expect(speedscope.result.bytes).toBe(Buffer.byteLength(speedscope.text));
  });

  it('refuses an unknown format (bad-request)', async () => {
    const service = await openFixture('real/fp-recurse/perf.data');
    await expect(
      service.exportFolded({ filters: {}, format: 'svg' as 'pprof' }, context([])),
    ).rejects.toThrow(/export format must be one of folded, pprof, speedscope/);
  });
});
