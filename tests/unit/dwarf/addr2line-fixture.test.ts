/**
 * The inline resolver against binutils: fixtures/addr2line.txt holds `addr2line -i -f` output
 * (binutils 2.40, recorded once by fixtures/record-addr2line.sh) for addresses across the text
 * of the DWARF 5 workload binaries in the real-recording symfs. perf 6.1 reads that output as
 * records (function line, file:line line) until a `??:0` record; the first `??:0` means no
 * information at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inlineChain, inlineFrames } from '../../../src/session/dwarf/index';
import { ElfFile } from '../../../src/session/symbols/elf/elf-file';
import { FIXTURES } from '../../support/recordings';

const SYMFS = join(FIXTURES, 'real', 'symfs');

interface Case {
  file: string;
  addr: bigint;
  expected: string[] | undefined;
}

function perfReading(lines: string[]): string[] | undefined {
  const names: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const fileLine = lines[i + 1]!;
    if (fileLine === '??:0' || !fileLine.includes(':')) break;
    names.push(lines[i]!);
  }
  return names.length > 0 ? names : undefined;
}

function loadCases(): Case[] {
  const text = readFileSync(join(__dirname, 'fixtures', 'addr2line.txt'), 'utf8');
  const cases: Case[] = [];
  let head: { file: string; addr: bigint } | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (head) cases.push({ ...head, expected: perfReading(lines) });
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^== (\S+) ([0-9a-f]+)$/.exec(line);
    if (m) {
      flush();
      head = { file: m[1]!, addr: BigInt(`0x${m[2]}`) };
      lines = [];
    } else if (line !== '') lines.push(line);
  }
  flush();
  return cases;
}

const files = new Map<string, ElfFile>();
const open = (rel: string) => {
  let f = files.get(rel);
  if (!f) {
    f = ElfFile.open(join(SYMFS, rel));
    files.set(rel, f);
  }
  return f;
};
afterAll(() => files.forEach((f) => f.close()));

describe('inline chains against addr2line -i -f', () => {
  const cases = loadCases();

  it('has a meaningful fixture (inline chains included)', () => {
    expect(cases.length).toBeGreaterThan(2000);
    expect(cases.filter((c) => (c.expected?.length ?? 0) > 1).length).toBeGreaterThan(100);
    expect(cases.filter((c) => c.expected === undefined).length).toBeGreaterThan(0);
  });

  it('matches every recorded address', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const got = inlineChain(open(c.file), c.addr);
      if (JSON.stringify(got) !== JSON.stringify(c.expected)) {
        wrong.push(
          `${c.file} ${c.addr.toString(16)}: got ${JSON.stringify(got)} want ${JSON.stringify(c.expected)}`,
        );
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(wrong.length).toBe(0);
  });

  it('inlineFrames drops the containing function', () => {
    const elf = open('tmp/perfreal/bin/recurse-nofp');
    expect(inlineFrames(elf, 0x1334n)).toEqual(['lcg']);
    expect(inlineFrames(elf, 0x1392n)).toEqual([]);
  });

  it('gives nothing for files without .debug_line (perf does not run addr2line)', () => {
    const libc = open('usr/lib/x86_64-linux-gnu/libc.so.6');
    expect(inlineChain(libc, 0x27249n)).toBeUndefined();
    expect(inlineFrames(libc, 0x27249n)).toBeUndefined();
  });
});
