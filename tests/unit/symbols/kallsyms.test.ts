/** [kernel.kallsyms] from a kallsyms file, as perf 6.1 loads it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Pipeline } from '../../../src/session/pipeline.js';
import { PerfDataReader } from '../../../src/session/perf-data/reader.js';
import { SymbolResolver } from '../../../src/session/symbols/index.js';
import { parseKallsyms } from '../../../src/session/symbols/kernel/kallsyms.js';
import { recording } from '../../support/recordings.js';

function kallsymsFile(text: string): string {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-ksyms-')), 'kallsyms');
  fs.writeFileSync(p, text);
  return p;
}

const KALLSYMS = [
  'ffffffff81000000 T srso_alias_untrain_ret',
  'ffffffff81000000 T _stext',
  'ffffffff81000000 T _text',
  'ffffffff81000100 t local_fn',
  'ffffffff81000200 r some_rodata',
  'ffffffff81000300 W weak_fn',
  'ffffffff81000400 A abs_sym',
  'ffffffff81000500 D data_sym',
  'ffffffff81000600 T __entry_SYSCALL_64_trampoline',
  'ffffffff81000700 T last_kernel_fn',
  'ffffffffc0001000 t mod_init\t[mymod]',
  'ffffffffc0001080 T mod_work\t[mymod]',
  'ffffffffc0002000 t other_fn\t[othermod]',
  '',
].join('\n');

describe('kallsyms', () => {
  test('types T/W/D/B kept, r/A dropped; ends run to the next symbol; duplicates collapse like perf', () => {
    const k = new SymbolResolver({ kallsyms: kallsymsFile(KALLSYMS) }).kernel();
    // The three symbols at _text: only the last one gets a size, so it wins.
    expect(k.find(0xffffffff81000000n)?.name).toBe('_text');
    expect(k.find(0xffffffff810000ffn)?.name).toBe('_text');
    expect(k.find(0xffffffff81000250n)?.name).toBe('local_fn'); // rodata dropped: local_fn runs on
    expect(k.find(0xffffffff81000450n)?.name).toBe('weak_fn'); // the 'A' symbol is not there
    expect(k.find(0xffffffff81000500n)?.name).toBe('data_sym');
    // The entry trampoline symbol is removed; data_sym's end was fixed to its start before that.
    expect(k.find(0xffffffff81000600n)).toBeUndefined();
    // The last core symbol before module symbols ends on the next page boundary past start + 4096.
    expect(k.find(0xffffffff81000700n)).toEqual({
      name: 'last_kernel_fn',
      start: 0xffffffff81000700n,
      end: 0xffffffff81002000n,
    });
    expect(k.find(0xffffffff81002000n)).toBeUndefined();
    expect(k.range).toEqual({ start: 0xffffffff81000000n, end: 0xffffffff81002000n });
  });

  test('module symbols go to their module, addressed relative to the module map', () => {
    const k = new SymbolResolver({ kallsyms: kallsymsFile(KALLSYMS) }).kernel({
      modules: [{ name: 'mymod', start: 0xffffffffc0000000n }],
    });
    expect(k.find(0xffffffffc0001000n)).toBeUndefined(); // not in [kernel.kallsyms]
    const m = k.module('[mymod]')!;
    expect(m.find(0x1000n)?.name).toBe('mod_init');
    expect(m.find(0x1080n)).toEqual({ name: 'mod_work', start: 0x1080n, end: 0x2000n });
    expect(k.module('othermod')).toBeUndefined(); // no map for it in the recording: dropped
  });

  test('a relocated kernel (KASLR): symbols move by kallsyms(_text) minus the recorded _text', () => {
    const slide = 0x1e00000n;
    const k = new SymbolResolver({ kallsyms: kallsymsFile(KALLSYMS) }).kernel({
      refSymbol: { name: '_text', addr: 0xffffffff81000000n - slide },
    });
    expect(k.find(0xffffffff81000100n - slide)?.name).toBe('local_fn');
    expect(k.find(0xffffffff81000100n)?.name).toBe(undefined);
  });

  test('a reference symbol missing from the file leaves the kernel unresolved, with a warning', () => {
    const r = new SymbolResolver({ kallsyms: kallsymsFile(KALLSYMS) });
    const k = r.kernel({ refSymbol: { name: 'no_such_symbol', addr: 0xffffffff81000000n } });
    expect(k.resolved).toBe(false);
    expect(k.find(0xffffffff81000100n)).toBeUndefined();
    expect(r.warnings()[0]).toContain('no_such_symbol');
  });

  test('with a symfs and no --kallsyms, the host kallsyms is not used', () => {
    const r = new SymbolResolver({
      symfs: fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-empty-')),
    });
    expect(r.kernel().resolved).toBe(false);
    expect(r.warnings()).toHaveLength(1);
  });
});

describe('kallsyms out of address order', () => {
  test('sorted stably: of one address, the last line in the file gets the size and wins', () => {
    const k = new SymbolResolver({
      kallsyms: kallsymsFile(
        [
          'ffffffff81000100 T after',
          'ffffffff81000000 T first_a',
          'ffffffff81000000 T first_b',
          'ffffffff81000200 T last',
          '',
        ].join('\n'),
      ),
    }).kernel();
    expect(k.find(0xffffffff81000000n)).toEqual({
      name: 'first_b',
      start: 0xffffffff81000000n,
      end: 0xffffffff81000100n,
    });
    expect(k.find(0xffffffff810001ffn)?.name).toBe('after');
    expect(k.find(0xffffffff81000200n)?.name).toBe('last');
  });
});

describe('kallsyms read ahead', () => {
  const BEFORE = 'ffffffff81000000 T _text\nffffffff81000100 T read_ahead\n';
  const AFTER = 'ffffffff81000000 T _text\nffffffff81000100 T read_later\n';

  test('prepareKernel reads the file once: kernel() answers from what it read', () => {
    const file = kallsymsFile(BEFORE);
    const r = new SymbolResolver({ kallsyms: file });
    r.prepareKernel(undefined);
    fs.writeFileSync(file, AFTER);
    expect(r.kernel().find(0xffffffff81000100n)?.name).toBe('read_ahead');
  });

  test('a kallsyms file that cannot be read: prepareKernel is quiet, kernel() says why', () => {
    const r = new SymbolResolver({ kallsyms: '/nonexistent/kallsyms' });
    expect(() => r.prepareKernel(undefined)).not.toThrow();
    expect(r.warnings()).toEqual([]);
    expect(r.kernel().resolved).toBe(false);
    expect(r.warnings()[0]).toContain('cannot read /nonexistent/kallsyms');
  });

  test('a kallsyms "file" that never ends is read up to a bound, then refused', () => {
    const r = new SymbolResolver({ kallsyms: '/dev/zero' });
    expect(r.kernel().resolved).toBe(false);
    expect(r.warnings()[0]).toContain('not a kallsyms file');
  });

  const pipelineFor = (event: string, kallsyms: string): Pipeline =>
    new Pipeline(PerfDataReader.open(recording(`${event}\n  comm 1/1 t=1 app\n`)), {
      symbols: { kallsyms },
    });

  test('a recording sampling the kernel has kallsyms read ahead', () => {
    const file = kallsymsFile(BEFORE);
    const p = pipelineFor('event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN', file);
    p.prepareKernelSymbols();
    fs.writeFileSync(file, AFTER);
    expect(p.resolver.kernel().find(0xffffffff81000100n)?.name).toBe('read_ahead');
  });

  test("pipelines given one kallsymsFiles map (perf diff's) read the file once", () => {
    const file = kallsymsFile(BEFORE);
    const kallsymsFiles = new Map();
    const open = (): Pipeline =>
      new Pipeline(
        PerfDataReader.open(
          recording(
            'event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN\n comm 1/1 t=1 app\n',
          ),
        ),
        { symbols: { kallsyms: file }, kallsymsFiles },
      );
    expect(open().resolver.kernel().find(0xffffffff81000100n)?.name).toBe('read_ahead');
    fs.writeFileSync(file, AFTER);
    expect(open().resolver.kernel().find(0xffffffff81000100n)?.name).toBe('read_ahead');
    // without the shared map a pipeline reads the file as it is now
    const alone = new Pipeline(
      PerfDataReader.open(recording('event cpu-clock type=1 sample_type=IP|TID|TIME\n')),
      { symbols: { kallsyms: file } },
    );
    expect(alone.resolver.kernel().find(0xffffffff81000100n)?.name).toBe('read_later');
  });

  test('a recording whose events exclude the kernel does not read kallsyms ahead', () => {
    const file = kallsymsFile(BEFORE);
    const p = pipelineFor(
      'event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN exclude_kernel',
      file,
    );
    p.prepareKernelSymbols();
    fs.writeFileSync(file, AFTER);
    expect(p.resolver.kernel().find(0xffffffff81000100n)?.name).toBe('read_later');
  });
});

describe('kallsyms lines', () => {
  test('hex, one space, the type, one space, the name to the end of the line; others skipped', () => {
    const lines = [
      ...parseKallsyms(
        [
          'ffffffff81000000 T _text',
          'FFFFFFFFC0001000 t upper\t[mod]',
          'ffffffffffffffff t top',
          '1ffffffff81000000 t wraps_past_64_bits',
          '10 T short',
          'ffffffff81000000 T ',
          'ffffffff81000000  T two_spaces_before_the_type',
          'ffffffff81000000 T',
          'zz T not_hex',
          ' ffffffff81000000 T leading_space',
          'ffffffff81000100 t last_without_newline',
        ].join('\n'),
      ),
    ];
    const addr = (l: { hi: number; lo: number }): bigint => (BigInt(l.hi) << 32n) | BigInt(l.lo);
    expect(lines.map((l) => [addr(l), l.type, l.name])).toEqual([
      [0xffffffff81000000n, 'T', '_text'],
      [0xffffffffc0001000n, 't', 'upper\t[mod]'],
      [0xffffffffffffffffn, 't', 'top'],
      [0xffffffff81000000n, 't', 'wraps_past_64_bits'],
      [0x10n, 'T', 'short'],
      [0xffffffff81000000n, 'T', ''],
      [0xffffffff81000100n, 't', 'last_without_newline'],
    ]);
  });
});
