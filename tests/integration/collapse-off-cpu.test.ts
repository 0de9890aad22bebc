import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCollapseCommand } from '../../src/cli/collapse-command';
import { FIXTURES } from '../support/recordings';
import { fixtureSymbols } from '../support/session';
import { oracleOffCpu, oracleSwitches, timelineOracle } from '../support/timeline-oracle';

/**
 * `perfws collapse --weight off-cpu` (issue 13): folded stacks weighted by off-CPU nanoseconds,
 * whose total is the sum of every interval as the issue defines them, computed here from perf's
 * own account of the switches (oracle/timeline/events.txt).
 */
const out = mkdtempSync(join(tmpdir(), 'perfws-offcpu-'));

async function collapse(recording: string, args: string[]): Promise<string> {
  const dir = join(FIXTURES, 'real', recording);
  const symbols = fixtureSymbols(dir);
  const program = new Command().exitOverride();
  registerCollapseCommand(program);
  const file = join(out, `${recording}-${Math.random().toString(36).slice(2)}.folded`);
  await program.parseAsync(
    ['collapse', '-i', join(dir, 'perf.data'), '-o', file, '--symfs', symbols.symfs!]
      .concat(['--kallsyms', symbols.kallsyms!, '--buildid-dir', symbols.buildidDir!])
      .concat(args),
    { from: 'user' },
  );
  return process.exitCode ? '' : readFileSync(file, 'utf8');
}

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('perfws collapse --weight off-cpu', () => {
  it.each(['switch-events', 'offcpu-wide', 'sched-switch-wide'])(
    '%s: the total equals the sum of the off-CPU intervals of the recorded threads',
    async (name) => {
      const expected = oracleOffCpu(oracleSwitches(timelineOracle(name)));
      // the threads the recording has samples of (the others have no track and no stacks)
      const sampled = new Set(
        timelineOracle(name)
          .filter((e) => !e.rest.startsWith('PERF_RECORD') && e.tid > 0)
          .map((e) => e.tid),
      );
      let sum = 0;
      for (const tid of sampled) sum += expected.get(tid)?.offCpu ?? 0;
      const text = await collapse(name, ['--weight', 'off-cpu', '--tid']);
      const lines = text.split('\n').filter(Boolean);
      const total = lines.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      expect(total).toBe(sum);
      // every line is a thread's (comm-pid/tid) stack with a whole number of nanoseconds
      for (const l of lines) expect(l).toMatch(/^[^;]+-\d+\/\d+(;[^;]+)* \d+$/);
    },
  );

  it('refuses a recording without context switches, saying how to record them', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      errors.push(String(s));
      return true;
    });
    await collapse('dlopen', ['--weight', 'off-cpu']);
    expect(process.exitCode).toBe(2);
    expect(errors.join('')).toContain('--switch-events');
  });

  it('refuses an unknown weight', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await collapse('dlopen', ['--weight', 'wall']);
    expect(process.exitCode).toBe(2);
  });
});
