import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerCollapseCommand } from '../../src/cli/collapse-command';
import { FIXTURES } from '../support/recordings';
import { FIXTURE_SYMBOLS, symbolArgs } from '../support/session';

/**
 * `perfws collapse --transform` against the transforms' definitions (issue 12), applied here,
 * independently of the code under test, to perf's own folded stacks of the same recording
 * (oracle/folded.txt: stackcollapse-perf.pl of perf script). Function libraries, which folded
 * text does not carry, come from perf script's own frames (oracle/script.txt).
 */
const REAL = join(FIXTURES, 'real');
const out = mkdtempSync(join(tmpdir(), 'perfws-collapse-'));

async function collapse(recording: string, transforms: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerCollapseCommand(program);
  const file = join(out, `${recording}-${Math.random().toString(36).slice(2)}.folded`);
  await program.parseAsync(
    [
      'collapse',
      '-i',
      join(REAL, recording, 'perf.data'),
      '-o',
      file,
      ...symbolArgs(FIXTURE_SYMBOLS),
      ...transforms.flatMap((t) => ['--transform', t]),
    ],
    { from: 'user' },
  );
  expect(process.exitCode ?? 0).toBe(0);
  return readFileSync(file, 'utf8');
}

// --- the definitions, over folded lines ------------------------------------------------------

interface Folded {
  comm: string;
  frames: string[];
  weight: number;
}

function parseFolded(text: string): Folded[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const space = line.lastIndexOf(' ');
      const [comm, ...frames] = line.slice(0, space).split(';');
      return { comm: comm!, frames, weight: Number(line.slice(space + 1)) };
    });
}

/** Folded text aggregated per line and sorted (the export's order). */
function formatFolded(stacks: Folded[]): string[] {
  const totals = new Map<string, number>();
  for (const s of stacks) {
    const line = [s.comm, ...s.frames].join(';');
    totals.set(line, (totals.get(line) ?? 0) + s.weight);
  }
  return [...totals].map(([line, w]) => `${line} ${w}`).sort();
}

/**
 * Whether a folded frame is function `name`: its text, or for `[unknown]` (the name of every
 * unresolved function) stackcollapse's `[library]`.
 */
const is = (name: string) => (frame: string) =>
  name === '[unknown]' ? /^\[.*\]$/.test(frame) : frame === name;

type Frames = string[] | null;
type Definition = (frames: string[], lib: (frame: string) => string) => Frames;

const DEFINITIONS: Record<string, (arg: string) => Definition> = {
  'focus-function': (f) => (frames) => {
    const at = frames.findIndex(is(f));
    return at === -1 ? null : frames.slice(at);
  },
  'focus-subtree': (arg) => (frames) => {
    const path = arg.split(';');
    const starts = path.every((name, k) => k < frames.length && is(name)(frames[k]!));
    return starts ? frames.slice(path.length - 1) : null;
  },
  'merge-function': (f) => (frames) => frames.filter((fr) => !is(f)(fr)),
  'drop-function': (f) => (frames) => (frames.some(is(f)) ? null : frames),
  'collapse-recursion': (f) => (frames) => {
    const outer = frames.findIndex(is(f));
    const inner = frames.length - 1 - [...frames].reverse().findIndex(is(f));
    if (outer === -1 || outer === inner) return frames;
    return [...frames.slice(0, outer + 1), ...frames.slice(inner + 1)];
  },
  'collapse-direct-recursion': (f) => (frames) =>
    frames.filter((fr, i) => !(is(f)(fr) && i > 0 && is(f)(frames[i - 1]!))),
  'collapse-library': (l) => (frames, lib) =>
    frames.flatMap((fr, i) =>
      lib(fr) !== l ? [fr] : i > 0 && lib(frames[i - 1]!) === l ? [] : [l],
    ),
};

/** Library file name of each function name, from perf script's `addr sym+off (dso)` lines. */
function librariesOf(recording: string): (frame: string) => string {
  const libs = new Map<string, Set<string>>();
  const script = readFileSync(join(REAL, recording, 'oracle', 'script.txt'), 'utf8');
  for (const line of script.split('\n')) {
    const m = /^\s+[0-9a-f]+ (.+) \((.*)\)$/.exec(line);
    if (!m) continue;
    const sym = m[1]!.replace(/\+0x[0-9a-f]+$/, '');
    const lib = m[2]!.slice(m[2]!.lastIndexOf('/') + 1);
    // stackcollapse-perf.pl's `[library]` for unresolved frames (`[unknown]` without one)
    const name = sym !== '[unknown]' ? sym : lib === '[unknown]' ? lib : `[${lib}]`;
    if (!libs.has(name)) libs.set(name, new Set());
    libs.get(name)!.add(lib);
  }
  return (frame) => {
    const found = libs.get(frame);
    expect(found?.size, `library of ${frame}`).toBe(1);
    return [...found!][0]!;
  };
}

function expected(recording: string, transforms: string[]): string[] {
  const lib = librariesOf(recording);
  const steps = transforms.map((t) => {
    const colon = t.indexOf(':');
    return DEFINITIONS[t.slice(0, colon)]!(t.slice(colon + 1));
  });
  const folded = readFileSync(join(REAL, recording, 'oracle', 'folded.txt'), 'utf8');
  const kept: Folded[] = [];
  for (const s of parseFolded(folded)) {
    let frames: Frames = s.frames;
    for (const step of steps) frames = frames && step(frames, lib);
    if (frames) kept.push({ ...s, frames });
  }
  return formatFolded(kept);
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean).sort();

describe('perfws collapse --transform equals the definitions applied to the folded stacks', () => {
  beforeEach(() => {
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it.each([
    // recursive: recurse_a and recurse_b call each other, fib calls itself
    ['fp-recurse', ['focus-function:recurse_b']],
    ['fp-recurse', ['focus-subtree:[unknown];main;recurse_a;recurse_b']],
    ['fp-recurse', ['merge-function:recurse_b']],
    ['fp-recurse', ['drop-function:fib']],
    ['fp-recurse', ['collapse-recursion:recurse_a']],
    ['fp-recurse', ['collapse-direct-recursion:fib']],
    // two: once recurse_b is merged away, recurse_a's recursion is direct
    ['fp-recurse', ['merge-function:recurse_b', 'collapse-direct-recursion:recurse_a']],
    // multi-threaded
    ['multi-event', ['focus-function:worker_lock']],
    ['multi-event', ['collapse-library:libc.so.6']],
    ['multi-event', ['drop-function:pthread_mutex_lock', 'collapse-library:libc.so.6']],
    // fork/exec: the kernel as one frame, a merged function that is a whole stack
    ['forkexec', ['collapse-library:[kernel.kallsyms]']],
    ['forkexec', ['focus-function:parent_work']],
    ['forkexec', ['merge-function:[unknown]']],
    // dlopen: the plugin, loaded twice
    ['dlopen', ['collapse-library:libplugin.so']],
    ['dlopen', ['focus-function:use_plugin', 'merge-function:plugin_inner']],
  ])('%s %j', async (recording, transforms) => {
    const want = expected(recording, transforms);
    const untransformed = expected(recording, []);
    expect(want).not.toEqual(untransformed); // the case tests something
    expect(lines(await collapse(recording, transforms))).toEqual(want);
  });

  it('a stack emptied by the transforms keeps its sample as the comm alone', async () => {
    const text = await collapse('forkexec', ['merge-function:[unknown]']);
    expect(lines(text).some((l) => /^[^;]+ \d+$/.test(l))).toBe(true);
  });

  it('refuses an unknown kind and a missing name, naming them', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      errors.push(String(s));
      return true;
    });
    try {
      await collapse('dlopen', ['focus:main']).catch(() => undefined);
      process.exitCode = undefined;
      await collapse('dlopen', ['drop-function:']).catch(() => undefined);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    expect(errors.join('')).toMatch(/unknown transform "focus"/);
    expect(errors.join('')).toMatch(/drop-function needs a name/);
  });

  it('refuses --addrs with a transform (exit 2), but names a bad transform first', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      errors.push(String(s));
      return true;
    });
    const run = async (transform: string): Promise<number | string | undefined> => {
      const program = new Command().exitOverride();
      registerCollapseCommand(program);
      const input = join(REAL, 'dlopen', 'perf.data');
      await program.parseAsync(['collapse', '-i', input, '--addrs', '--transform', transform], {
        from: 'user',
      });
      const code = process.exitCode;
      process.exitCode = undefined;
      return code;
    };
    try {
      expect(await run('merge-function:malloc')).toBe(2);
      expect(await run('focus:main')).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([
      'perfws: --addrs cannot be combined with --transform: transforms work on functions\n',
      expect.stringMatching(/unknown transform "focus"/),
    ]);
  });
});
