import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasFlag } from '../../src/session/perf-data/attr';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { injectMergedCallchains } from '../../src/session/inject';
import { collectStats } from '../../src/session/stats';
import { FIXTURES } from '../support/recordings';
import { script } from '../support/script';

const OUT = mkdtempSync(join(tmpdir(), 'perfws-inject-'));
const NAMES = [
  'forkexec',
  'fp-recurse',
  'multi-event',
  'switch-events',
  'dlopen',
  'group-leader',
  'shell-ties',
];
const havePerf = spawnSync('perf', ['--version']).status === 0;

describe('perfws inject --merge-callchains', () => {
  it.each(NAMES)('%s-merged becomes the original classic recording', async (name) => {
    const out = join(OUT, `${name}.data`);
    const result = await injectMergedCallchains(
      join(FIXTURES, 'deferred', `${name}-merged`, 'perf.data'),
      out,
    );
    expect(result.merge.unmergedCookieMismatch + result.merge.unmergedEndOfSession).toBe(0);
    const reader = PerfDataReader.open(out);
    expect(
      reader.events.events.every(
        (e) => !hasFlag(e.attr, 'defer_callchain') && !hasFlag(e.attr, 'defer_output'),
      ),
    ).toBe(true);
    const stats = await collectStats(reader);
    reader.close();
    expect(stats.records.CALLCHAIN_DEFERRED).toBeUndefined();
    expect(stats.merge.deferredSamples).toBe(0);
    // in file order again, so the original recording's own oracle (no reordering)
    const original = readFileSync(join(FIXTURES, 'real', name, 'oracle', 'script-ip.txt'), 'utf8');
    expect(await script(out, ['comm,pid,tid,time,period,event,ip'])).toBe(original);
  });

  it('never writes through a symlink planted at a guessable temporary name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfws-inject-trap-'));
    const victim = join(mkdtempSync(join(tmpdir(), 'perfws-victim-')), 'precious');
    writeFileSync(victim, 'precious\n');
    const out = join(dir, 'out.data');
    symlinkSync(victim, `${out}.tmp-${process.pid}`);
    await injectMergedCallchains(join(FIXTURES, 'deferred', 'fp-recurse-merged', 'perf.data'), out);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(out).isFile()).toBe(true);
  });

  it('keeps the kernel part of samples whose user stack never came', async () => {
    const out = join(OUT, 'edge.data');
    const result = await injectMergedCallchains(
      join(FIXTURES, 'deferred', 'forkexec-edge', 'perf.data'),
      out,
    );
    expect(result.merge).toMatchObject({
      merged: 658,
      unmergedCookieMismatch: 3,
      unmergedEndOfSession: 3,
    });
    expect(result.droppedRecords).toBe(659);
    const text = await script(out, ['comm,pid,tid,time,period,event,ip']);
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(826);
    expect(text).not.toMatch(/fffffffffffffd80/); // no USER_DEFERRED marker left for old perf to choke on
  });

  it.skipIf(!havePerf)(
    'perf itself reads the result and prints the original recording (needs perf installed)',
    () => {
      const out = join(OUT, 'perf-check.data');
      return injectMergedCallchains(
        join(FIXTURES, 'deferred', 'switch-events-merged', 'perf.data'),
        out,
      ).then(() => {
        const r = spawnSync(
          'perf',
          ['script', '-i', out, '-F', 'comm,pid,tid,time,period,event,ip'],
          { encoding: 'utf8' },
        );
        expect(r.stdout).toBe(
          readFileSync(join(FIXTURES, 'real', 'switch-events', 'oracle', 'script-ip.txt'), 'utf8'),
        );
      });
    },
  );

  it('refuses a pipe-mode stream with a clear message', async () => {
    await expect(
      injectMergedCallchains(
        join(FIXTURES, 'real', 'pipe-forkexec', 'perf.data'),
        join(OUT, 'pipe.data'),
      ),
    ).rejects.toThrow(/pipe-mode/);
  });
});
