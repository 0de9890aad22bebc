/**
 * perf 6.1's symbol-table rules (symbol-elf.c dso__load_sym_internal,
 * symbol.c symbols__fixup_end / symbols__fixup_duplicate / symbols__find),
 * on ELF files built for each case.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ElfFile, SymbolResolver } from '../../../src/session/symbols/index.js';
import { type BuildElf, type BuildSymbol, buildElf } from './support/elf-builder.js';

const STT_NOTYPE = 0;
const STT_OBJECT = 1;
const STT_FUNC = 2;
const STB_LOCAL = 0;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const SHN_ABS = 0xfff1;
const STV_HIDDEN = 2;
const ALLOC_EXEC = 6n;

const fn = (
  name: string,
  value: number,
  size: number,
  bind = STB_GLOBAL,
  type = STT_FUNC,
): BuildSymbol => ({
  name,
  value: BigInt(value),
  size: BigInt(size),
  type,
  bind,
  shndx: '.text',
});

/** A 64-bit x86-64 shared object whose .text sits at vaddr 0x1000 == file offset 0x1000 unless moved. */
function dso(spec: Partial<BuildElf> & { textAddr?: bigint }): BuildElf {
  return {
    is64: true,
    littleEndian: true,
    type: 3,
    machine: 62,
    sections: spec.sections ?? [
      {
        name: '.text',
        type: 1,
        flags: ALLOC_EXEC,
        addr: spec.textAddr ?? 0x1000n,
        data: new Uint8Array(0x100),
      },
    ],
    phdrs: spec.phdrs ?? [
      { type: 1, flags: 5, offset: 0n, vaddr: 0n, filesz: 0x10000n, memsz: 0x10000n },
    ],
    ...(spec.symtab ? { symtab: spec.symtab } : {}),
    ...(spec.dynsym ? { dynsym: spec.dynsym } : {}),
  };
}

function load(spec: BuildElf, opts: { demangle?: boolean } = {}) {
  const symfs = fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-rules-'));
  fs.mkdirSync(path.join(symfs, 'lib'));
  fs.writeFileSync(path.join(symfs, 'lib/t.so'), buildElf(spec));
  const r = new SymbolResolver({ symfs, buildidDir: symfs, ...opts });
  const d = r.dso({ path: '/lib/t.so' });
  const name = (addr: number): string | undefined => d.find(addr)?.name;
  return { d, name, r };
}

describe('which ELF symbols perf keeps', () => {
  test('functions and objects; labels only in sections named *text* or *data* and not hidden; never SHN_ABS or undefined', () => {
    const { name } = load(
      dso({
        sections: [
          { name: '.text', type: 1, flags: ALLOC_EXEC, addr: 0x1000n, data: new Uint8Array(0x100) },
          { name: '.eh_frame', type: 1, flags: 2n, addr: 0x2000n, data: new Uint8Array(0x100) },
          { name: '.comment', type: 1, flags: 0n, addr: 0x0n, data: new Uint8Array(0x100) },
        ],
        symtab: [
          fn('func', 0x1000, 0x10),
          fn('label_in_text', 0x1010, 0, STB_GLOBAL, STT_NOTYPE),
          { ...fn('hidden_label', 0x1020, 0, STB_GLOBAL, STT_NOTYPE), other: STV_HIDDEN },
          {
            name: 'label_in_eh_frame',
            value: 0x2000n,
            size: 0n,
            type: STT_NOTYPE,
            bind: STB_GLOBAL,
            shndx: '.eh_frame',
          },
          {
            name: 'object_in_eh_frame',
            value: 0x2040n,
            size: 8n,
            type: STT_OBJECT,
            bind: STB_GLOBAL,
            shndx: '.eh_frame',
          },
          {
            name: 'absolute',
            value: 0x1030n,
            size: 0x10n,
            type: STT_FUNC,
            bind: STB_GLOBAL,
            shndx: SHN_ABS,
          },
          {
            name: 'not_allocated',
            value: 0x40n,
            size: 0x10n,
            type: STT_FUNC,
            bind: STB_GLOBAL,
            shndx: '.comment',
          },
          {
            name: 'undefined',
            value: 0x1040n,
            size: 0x10n,
            type: STT_FUNC,
            bind: STB_GLOBAL,
            shndx: 0,
          },
          fn('after', 0x1050, 0x10),
        ],
      }),
    );
    expect(name(0x1000)).toBe('func');
    expect(name(0x1010)).toBe('label_in_text'); // size 0: ends where the next kept symbol starts
    expect(name(0x1020)).toBe('label_in_text'); // the hidden label is not there
    expect(name(0x1030)).toBe('label_in_text'); // nor the absolute one
    expect(name(0x1045)).toBe('label_in_text');
    expect(name(0x1050)).toBe('after');
    expect(name(0x2000)).toBeUndefined(); // a label outside text/data sections is dropped
    expect(name(0x2040)).toBe('object_in_eh_frame'); // objects are kept wherever they are
    expect(name(0x40)).toBeUndefined();
  });

  test('end is exclusive; the last zero-sized symbol runs to the page after its start', () => {
    const { name, d } = load(dso({ symtab: [fn('a', 0x1000, 0x10), fn('b', 0x1020, 0)] }));
    expect(name(0x100f)).toBe('a');
    expect(name(0x1010)).toBeUndefined(); // a's end, and a gap before b
    expect(d.find(0x1020)).toEqual({ name: 'b', start: 0x1020n, end: 0x3000n }); // roundup(0x1020, 4096) + 4096
    expect(name(0x2fff)).toBe('b');
    expect(name(0x3000)).toBeUndefined();
  });

  test('aliases at one address: sized, then non-weak, then global, then fewer leading underscores, then the longer name', () => {
    const cases: [BuildSymbol[], string][] = [
      // The end fix-up runs first: an empty alias listed last ends at the next symbol, so it is no longer empty...
      [[fn('sized', 0x1000, 0x10), fn('longer_but_empty', 0x1000, 0)], 'longer_but_empty'],
      // ...while one listed before another alias stays empty and loses.
      [[fn('longer_but_empty', 0x1000, 0), fn('sized', 0x1000, 0x10)], 'sized'],
      [[fn('weakone', 0x1000, 0x10, STB_WEAK), fn('strong', 0x1000, 0x10)], 'strong'],
      [[fn('localname', 0x1000, 0x10, STB_LOCAL), fn('global', 0x1000, 0x10)], 'global'],
      [[fn('__x', 0x1000, 0x10), fn('_yy', 0x1000, 0x10)], '_yy'],
      [[fn('cosf', 0x1000, 0x10), fn('cosf32', 0x1000, 0x10)], 'cosf32'],
      [[fn('same1', 0x1000, 0x10), fn('same2', 0x1000, 0x10)], 'same1'], // a tie keeps the first
      [[fn('SyS_read', 0x1000, 0x10), fn('sys_read', 0x1000, 0x10)], 'sys_read'],
    ];
    for (const [symtab, want] of cases) {
      expect(load(dso({ symtab: [...symtab, fn('next', 0x1080, 0x10)] })).name(0x1000), want).toBe(
        want,
      );
    }
  });

  test('.symtab and .dynsym are both loaded; at one address the longer (versioned) .symtab name wins, as in perf 6.1', () => {
    const { name } = load(
      dso({
        symtab: [fn('clock_gettime@@GLIBC_2.17', 0x1000, 0), fn('internal', 0x1040, 0x10)],
        dynsym: [fn('clock_gettime', 0x1000, 0x20), fn('exported_only', 0x1080, 0x10)],
      }),
    );
    expect(name(0x1000)).toBe('clock_gettime@@GLIBC_2.17');
    expect(name(0x1040)).toBe('internal');
    expect(name(0x1080)).toBe('exported_only');
  });

  test('symbols move from virtual address to file offset by their PT_LOAD (p_vaddr - p_offset)', () => {
    const { name, d } = load(
      dso({
        textAddr: 0x401000n,
        sections: [
          {
            name: '.text',
            type: 1,
            flags: ALLOC_EXEC,
            addr: 0x401000n,
            data: new Uint8Array(0x100),
          },
        ],
        phdrs: [
          { type: 1, flags: 5, offset: 0x1000n, vaddr: 0x401000n, filesz: 0x1000n, memsz: 0x1000n },
        ],
        symtab: [fn('main', 0x401010, 0x20)],
      }),
    );
    expect(d.find(0x1010)).toEqual({ name: 'main', start: 0x1010n, end: 0x1030n });
    expect(name(0x401010)).toBeUndefined();
  });

  test('a symbol outside every PT_LOAD moves by its section (sh_addr - sh_offset)', () => {
    const spec = dso({
      sections: [
        { name: '.text', type: 1, flags: ALLOC_EXEC, addr: 0x9000n, data: new Uint8Array(0x100) },
      ],
      phdrs: [],
      symtab: [fn('f', 0x9008, 4)],
    });
    const textOffset = ElfFile.fromBytes('t', buildElf(spec)).section('.text')!.offset;
    const start = textOffset + 8;
    expect(load(spec).d.find(start)).toEqual({
      name: 'f',
      start: BigInt(start),
      end: BigInt(start + 4),
    });
  });

  test('PLT entries become "<name>@plt" symbols at .plt file offsets after the header', () => {
    const rela = Buffer.alloc(24 * 2);
    rela.writeBigUInt64LE(1n << 32n, 8); // r_info: symbol 1
    rela.writeBigUInt64LE(2n << 32n, 24 + 8); // symbol 2
    const spec = dso({
      sections: [
        {
          name: '.plt',
          type: 1,
          flags: ALLOC_EXEC,
          addr: 0x1000n,
          data: new Uint8Array(48),
          entsize: 16,
        },
        { name: '.text', type: 1, flags: ALLOC_EXEC, addr: 0x1040n, data: new Uint8Array(0x40) },
        {
          name: '.rela.plt',
          type: 4,
          flags: 2n,
          addr: 0x800n,
          data: rela,
          link: '.dynsym',
          entsize: 24,
        },
      ],
      symtab: [fn('main', 0x1040, 0x10)],
      dynsym: [
        { name: 'puts', value: 0n, size: 0n, type: STT_FUNC, bind: STB_GLOBAL, shndx: 0 },
        { name: '_ZN3foo3barEv', value: 0n, size: 0n, type: STT_FUNC, bind: STB_GLOBAL, shndx: 0 },
      ],
    });
    const { name, d } = load(spec);
    const plt = ElfFile.fromBytes('plt', buildElf(spec)).section('.plt')!.offset;
    expect(name(plt)).toBeUndefined(); // the PLT header has no symbol
    expect(d.find(plt + 16)).toEqual({
      name: 'puts@plt',
      start: BigInt(plt + 16),
      end: BigInt(plt + 32),
    });
    expect(name(plt + 47)).toBe('foo::bar@plt');
  });

  test('demangle: false keeps raw names', () => {
    const spec = dso({
      symtab: [fn('_ZN3foo3barEv', 0x1000, 0x10), fn('_ZN3foo3bazEi', 0x1010, 0x10)],
    });
    expect(load(spec).name(0x1000)).toBe('foo::bar');
    expect(load(spec).name(0x1010)).toBe('foo::baz');
    expect(load(spec, { demangle: false }).name(0x1000)).toBe('_ZN3foo3barEv');
  });

  test('ELF32 big-endian (e.g. PowerPC) loads the same way', () => {
    const { d } = load({
      is64: false,
      littleEndian: false,
      type: 2,
      machine: 20,
      sections: [
        {
          name: '.text',
          type: 1,
          flags: ALLOC_EXEC,
          addr: 0x10000400n,
          data: new Uint8Array(0x100),
        },
      ],
      phdrs: [
        { type: 1, flags: 5, offset: 0n, vaddr: 0x10000000n, filesz: 0x1000n, memsz: 0x1000n },
      ],
      symtab: [fn('be_func', 0x10000410, 0x20)],
    });
    expect(d.find(0x410)).toEqual({ name: 'be_func', start: 0x410n, end: 0x430n });
  });

  test('ARM: mapping symbols are dropped and the Thumb bit is cleared', () => {
    const { d } = load({
      is64: false,
      littleEndian: true,
      type: 3,
      machine: 40,
      sections: [
        { name: '.text', type: 1, flags: ALLOC_EXEC, addr: 0x1000n, data: new Uint8Array(0x100) },
      ],
      phdrs: [{ type: 1, flags: 5, offset: 0n, vaddr: 0n, filesz: 0x2000n, memsz: 0x2000n }],
      symtab: [
        fn('$t', 0x1000, 0, STB_LOCAL, STT_NOTYPE),
        fn('thumb_fn', 0x1001, 0x20),
        fn('$d.1', 0x1040, 0, STB_LOCAL, STT_NOTYPE),
      ],
    });
    expect(d.find(0x1000)).toEqual({ name: 'thumb_fn', start: 0x1000n, end: 0x1020n });
    expect(d.find(0x1040)).toBeUndefined();
  });
});
