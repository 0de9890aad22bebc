import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tidyName } from '../../../src/session/query/folded';
import { FIXTURES } from '../../support/recordings';

/**
 * Name tidying against stackcollapse-perf.pl itself (tests/fixtures/local/tidy-names: a
 * hand-written perf script text and the folded lines the real script made of it), independent of
 * the recordings' folded oracles.
 */
const DIR = join(FIXTURES, 'local', 'tidy-names');

/** Each sample of script.txt: its comm and its innermost frame's name (offset and dso cut). */
function samples(): { comm: string; name: string }[] {
  const out: { comm: string; name: string }[] = [];
  let comm = '';
  for (const line of readFileSync(join(DIR, 'script.txt'), 'utf8').split('\n')) {
    if (line === '') comm = '';
    else if (!line.startsWith('\t')) comm = line.split(' ')[0]!;
    else if (!line.includes(' main+')) {
      const name = line
        .trim()
        .replace(/^[0-9a-f]+ /, '')
        .replace(/\+0x[0-9a-f]+ \([^)]*\)$/, '');
      out.push({ comm, name });
    }
  }
  return out;
}

describe("stackcollapse-perf.pl's name tidying", () => {
  it('tidies every name of the fixture as the real script did', () => {
    const cases = samples();
    expect(cases).toHaveLength(20);
    const ours = cases.map(({ comm, name }) =>
      // the script skips a frame whose name starts with "(" (meant for process names)
      name.startsWith('(') ? `${comm};main 1` : `${comm};main;${tidyName(name, comm)} 1`,
    );
    const theirs = readFileSync(join(DIR, 'folded.txt'), 'utf8').trimEnd().split('\n');
    expect(ours.sort()).toEqual(theirs);
  });

  it('strips the L of a Java signature only in a java process', () => {
    const sig = 'Lcom/x/Y;.m(I)V';
    expect(tidyName(sig, 'java')).toBe('com/x/Y:.m');
    expect(tidyName(sig, 'javac')).toBe('com/x/Y:.m');
    expect(tidyName(sig, 'app')).toBe('Lcom/x/Y:.m');
    expect(tidyName('LNoSlash;.m', 'java')).toBe('LNoSlash:.m');
  });
});
