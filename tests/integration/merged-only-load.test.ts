import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCollapseCommand } from '../../src/cli/collapse-command';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { loadProfile } from '../../src/session/model/model-builder';
import { foldedLines } from '../../src/session/query/folded';
import { SessionError } from '../../src/shared/contract/errors';
import type { Profile } from '../../src/shared/model';
import { FIXTURES } from '../support/recordings';
import { fixtureSymbols, symbolArgs } from '../support/session';

/**
 * A load without the merging-off view (LoadOptions.rawView false: what `perfws collapse` and
 * `perfws export` do unless given --no-merge-callchains) keeps every merged stack and leaves out
 * only what merging off would show: the stacks as recorded and the consumed records.
 */
const DEFERRED = ['deferred/fp-recurse-merged', 'deferred/forkexec-edge', 'deferred/dlopen-edge'];

async function load(rel: string, singleThread: boolean, rawView?: boolean): Promise<Profile> {
  const reader = PerfDataReader.open(join(FIXTURES, rel, 'perf.data'));
  try {
    return await loadProfile(reader, {
      symbols: fixtureSymbols(join(FIXTURES, rel)),
      singleThread,
      rawView,
    });
  } finally {
    reader.close();
  }
}

const folded = (p: Profile, merge: boolean): string[] =>
  [...foldedLines(p, { filters: { merge }, tid: true })].flat().sort();

const deferredRecords = (p: Profile): number =>
  p.threads.reduce((n, t) => n + t.deferredRecords.length, 0);

describe('a load with merged stacks only', () => {
  it.each(DEFERRED.flatMap((rel) => [`${rel} worker`, `${rel} single-thread`]))(
    '%s: the same merged stacks, no consumed records, merging off refused',
    async (name) => {
      const [rel, how] = name.split(' ');
      const full = await load(rel!, how === 'single-thread');
      const lean = await load(rel!, how === 'single-thread', false);
      expect(folded(lean, true)).toEqual(folded(full, true));
      expect(lean.meta.merge).toEqual(full.meta.merge);
      expect(lean.meta.samples).toBe(full.meta.samples);
      // what it leaves out is there in a full load
      expect(full.meta.rawView).toBeUndefined();
      expect(deferredRecords(full)).toBeGreaterThan(0);
      expect(folded(full, false)).not.toEqual(folded(full, true));
      if (rel!.endsWith('-edge')) {
        // samples left unmerged take the other branch
        const m = full.meta.merge;
        expect(m.unmergedEndOfSession + m.unmergedCookieMismatch).toBeGreaterThan(0);
      }
      // no stacks as recorded (those end in the cookie frame) were made
      expect(lean.stacks.length).toBeLessThan(full.stacks.length);
      expect(lean.meta.rawView).toBe(false);
      expect(deferredRecords(lean)).toBe(0);
      // each thread's recorded-stack column is its stack column (one column, not two)
      for (const t of lean.threads) expect(t.samples.rawStack).toBe(t.samples.stack);
      expect(() => folded(lean, false)).toThrow(SessionError);
      expect(() => folded(lean, false)).toThrow(/merging-off view/);
    },
  );
});

describe('perfws collapse', () => {
  const out = mkdtempSync(join(tmpdir(), 'perfws-merged-only-'));

  async function collapse(rel: string, extra: string[]): Promise<string[]> {
    const program = new Command().exitOverride();
    registerCollapseCommand(program);
    const file = join(out, `${Math.random().toString(36).slice(2)}.folded`);
    await program.parseAsync(
      [
        'collapse',
        '-i',
        join(FIXTURES, rel, 'perf.data'),
        '-o',
        file,
        '--tid',
        ...symbolArgs(fixtureSymbols(join(FIXTURES, rel))),
        ...extra,
      ],
      { from: 'user' },
    );
    expect(process.exitCode ?? 0).toBe(0);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).sort();
  }

  it('folds as recorded with --no-merge-callchains (it loads the merging-off view for it)', async () => {
    const rel = 'deferred/fp-recurse-merged';
    const full = await load(rel, false);
    expect(await collapse(rel, [])).toEqual(folded(full, true));
    expect(await collapse(rel, ['--no-merge-callchains'])).toEqual(folded(full, false));
  });
});
