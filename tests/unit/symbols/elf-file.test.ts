import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ElfFile, ElfFormatError } from '../../../src/session/symbols/index.js';
import { buildElf, buildIdNote } from './support/elf-builder.js';

const SYMFS = path.resolve('tests/fixtures/real/symfs');
const RECURSE_FP = path.join(SYMFS, 'tmp/perfreal/bin/recurse-fp');
const LIBC = path.join(SYMFS, 'usr/lib/x86_64-linux-gnu/libc.so.6');

function tmpFile(name: string, bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-elf-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe('ElfFile', () => {
  test('reads the header, sections and program headers of a real binary (as readelf shows them)', () => {
    const elf = ElfFile.open(RECURSE_FP);
    try {
      expect(elf.is64).toBe(true);
      expect(elf.littleEndian).toBe(true);
      expect(elf.machine).toBe(62); // EM_X86_64
      expect(elf.type).toBe(3); // ET_DYN (PIE)
      expect(elf.entry).toBe(0x1080n);
      expect(elf.sections).toHaveLength(39);
      expect(elf.programHeaders).toHaveLength(13);
      const text = elf.section('.text')!;
      expect([text.addr, text.offset, text.size]).toEqual([0x1080n, 0x1080, 0x35c]);
      expect(text.flags & 0x4n).toBe(0x4n); // SHF_EXECINSTR
      expect(text.data()).toHaveLength(0x35c);
      expect(elf.section('.bss')!.data()).toHaveLength(0); // NOBITS: no file bytes
      expect(elf.section('.no-such-section')).toBeUndefined();
      expect(elf.buildId()).toBe('7ccf95f75395a37a868d59535fe02623c4f34369');
    } finally {
      elf.close();
    }
  });

  test('reads .gnu_debuglink (name and CRC32)', () => {
    const elf = ElfFile.open(LIBC);
    try {
      expect(elf.debugLink()).toEqual({
        name: 'ac61ec5a8eb1396f9fbd350e3169a558528a40.debug',
        crc: 0x1aaba8f7,
      });
      expect(elf.buildId()).toBe('93ac61ec5a8eb1396f9fbd350e3169a558528a40');
    } finally {
      elf.close();
    }
  });

  test('a truncated file fails with the file, the byte offset and the field', () => {
    const whole = fs.readFileSync(RECURSE_FP);
    const cut = tmpFile('cut', whole.subarray(0, 0x2000)); // section headers are near the end
    let err: unknown;
    try {
      ElfFile.open(cut);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ElfFormatError);
    const e = err as ElfFormatError;
    expect(e.file).toBe(cut);
    expect(e.field).toMatch(/section header table/);
    expect(e.offset).toBe(whole.readUInt32LE(0x28)); // e_shoff
    expect(e.message).toContain(cut);
  });

  test('not an ELF file', () => {
    const p = tmpFile('text', Buffer.from('hello, this is not an ELF file'));
    expect(() => ElfFile.open(p)).toThrow(/byte offset 0 \(e_ident\[EI_MAG\]\)/);
  });

  test('a section whose size runs past the end of the file fails when its data is read', () => {
    const bytes = buildElf({
      is64: true,
      littleEndian: true,
      type: 3,
      machine: 62,
      sections: [{ name: '.text', type: 1, flags: 6n, data: new Uint8Array(16) }],
    });
    // Patch .text's sh_size (section 1, at e_shoff + 64 + 32) to 1 GiB.
    const buf = Buffer.from(bytes);
    const shoff = Number(buf.readBigUInt64LE(0x28));
    buf.writeBigUInt64LE(1n << 30n, shoff + 64 + 32);
    const elf = ElfFile.fromBytes('patched', buf);
    expect(elf.section('.text')!.size).toBe(1 << 30);
    expect(() => elf.section('.text')!.data()).toThrow(ElfFormatError);
    expect(() => elf.section('.text')!.data()).toThrow(
      /patched: byte offset \d+ \(data of section \[1\] \.text\)/,
    );
  });

  test('without a note section, the build-id comes from a PT_NOTE segment', () => {
    const spec = (noteOffset: bigint) => ({
      is64: true,
      littleEndian: true,
      type: 3,
      machine: 62,
      sections: [{ name: '.mynotes', type: 1, flags: 2n, data: buildIdNote(true, 'cafebabe') }],
      phdrs: [{ type: 4, flags: 4, offset: noteOffset, vaddr: 0n, filesz: 20n, memsz: 20n }],
    });
    const first = ElfFile.fromBytes('probe', buildElf(spec(0n)));
    const at = BigInt(first.section('.mynotes')!.offset);
    expect(ElfFile.fromBytes('notes', buildElf(spec(at))).buildId()).toBe('cafebabe');
    expect(first.buildId()).toBeUndefined(); // the segment points at the ELF header: no GNU note there
  });

  for (const [is64, littleEndian] of [
    [false, false],
    [false, true],
    [true, false],
  ] as const) {
    test(`parses ELF${is64 ? 64 : 32} ${littleEndian ? 'little' : 'big'}-endian`, () => {
      const bytes = buildElf({
        is64,
        littleEndian,
        type: 2,
        machine: 20,
        sections: [
          { name: '.text', type: 1, flags: 6n, addr: 0x10000n, data: new Uint8Array(64) },
          {
            name: '.note.gnu.build-id',
            type: 7,
            flags: 2n,
            data: buildIdNote(littleEndian, 'deadbeef00112233'),
          },
        ],
        symtab: [{ name: 'f', value: 0x10010n, size: 8n, type: 2, bind: 1, shndx: '.text' }],
        phdrs: [
          { type: 1, flags: 5, offset: 0n, vaddr: 0x10000n - 0n, filesz: 0x200n, memsz: 0x200n },
        ],
      });
      const elf = ElfFile.fromBytes('built', bytes);
      expect(elf.is64).toBe(is64);
      expect(elf.littleEndian).toBe(littleEndian);
      expect(elf.machine).toBe(20);
      expect(elf.type).toBe(2);
      expect(elf.section('.text')!.addr).toBe(0x10000n);
      expect(elf.section('.symtab')!.entsize).toBe(is64 ? 24 : 16);
      expect(elf.programHeaders[0]!.vaddr).toBe(0x10000n);
      expect(elf.buildId()).toBe('deadbeef00112233');
    });
  }
});
