/**
 * An opened ELF file: header, section headers with names, program headers
 * and lazily read section data. ELF32/ELF64, either byte order.
 */
import {
  type ByteSource,
  ElfFormatError,
  FileByteSource,
  MemoryByteSource,
} from './byte-source.js';
import {
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  PN_XNUM,
  SHN_LORESERVE,
  SHN_XINDEX,
  SHT_NOBITS,
} from './elf-constants.js';
import { FieldReader, toFileNumber } from './field-reader.js';
import { readBuildId, readDebugLink, type DebugLink } from './elf-notes.js';
import type { ElfProgramHeader, ElfSection, ElfSections } from './types.js';

export type { DebugLink } from './elf-notes.js';

/** A section header plus what ElfSection does not expose. */
export interface ElfSectionHeader extends ElfSection {
  /** Index in the section header table. */
  readonly index: number;
  /** sh_link, sh_info, sh_entsize (symbol and relocation tables need them). */
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
  readonly addralign: bigint;
}

class LazySection implements ElfSectionHeader {
  private cached: Uint8Array | undefined;
  constructor(
    private readonly src: ByteSource,
    readonly index: number,
    readonly name: string,
    readonly type: number,
    readonly flags: bigint,
    readonly addr: bigint,
    readonly offset: number,
    readonly size: number,
    readonly link: number,
    readonly info: number,
    readonly addralign: bigint,
    readonly entsize: number,
  ) {}

  data(): Uint8Array {
    if (this.type === SHT_NOBITS) return new Uint8Array(0);
    this.cached ??= this.src.read(
      this.offset,
      this.size,
      `data of section [${this.index}] ${this.name || '(unnamed)'}`,
    );
    return this.cached;
  }
}

export class ElfFile implements ElfSections {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly machine: number;
  readonly type: number;
  readonly entry: bigint;
  /** e_shstrndx after extended numbering. */
  readonly shstrndx: number;
  readonly sections: readonly ElfSectionHeader[];
  readonly programHeaders: readonly ElfProgramHeader[];
  private buildIdCache: string | null | undefined;

  /** Open a file; throws fs errors (ENOENT, ...) or ElfFormatError. */
  static open(path: string): ElfFile {
    const src = new FileByteSource(path);
    try {
      return new ElfFile(src);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  /** Parse an ELF image held in memory (e.g. the one inside .gnu_debugdata). */
  static fromBytes(name: string, bytes: Uint8Array): ElfFile {
    return new ElfFile(new MemoryByteSource(name, bytes));
  }

  private constructor(readonly source: ByteSource) {
    const name = source.name;
    const ident = source.read(0, 16, 'e_ident');
    if (ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) {
      throw new ElfFormatError(name, 0, 'e_ident[EI_MAG]', 'not an ELF file (no \\x7fELF magic)');
    }
    const cls = ident[4];
    if (cls !== ELFCLASS32 && cls !== ELFCLASS64) {
      throw new ElfFormatError(name, 4, 'e_ident[EI_CLASS]', `unknown ELF class ${cls}`);
    }
    const data = ident[5];
    if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
      throw new ElfFormatError(name, 5, 'e_ident[EI_DATA]', `unknown data encoding ${data}`);
    }
    this.is64 = cls === ELFCLASS64;
    this.littleEndian = data === ELFDATA2LSB;
    const is64 = this.is64;

    /*
     * typedef struct {                 ELF64 offset / ELF32 offset
     *   unsigned char e_ident[16];     0 / 0
     *   Elf_Half  e_type;              16 / 16
     *   Elf_Half  e_machine;           18 / 18
     *   Elf_Word  e_version;           20 / 20
     *   Elf_Addr  e_entry;             24 / 24
     *   Elf_Off   e_phoff;             32 / 28
     *   Elf_Off   e_shoff;             40 / 32
     *   Elf_Word  e_flags;             48 / 36
     *   Elf_Half  e_ehsize;            52 / 40
     *   Elf_Half  e_phentsize;         54 / 42
     *   Elf_Half  e_phnum;             56 / 44
     *   Elf_Half  e_shentsize;         58 / 46
     *   Elf_Half  e_shnum;             60 / 48
     *   Elf_Half  e_shstrndx;          62 / 50
     * } Elf_Ehdr;                      (64 / 52 bytes)
     */
    const ehdrSize = is64 ? 64 : 52;
    const eh = new FieldReader(source.read(0, ehdrSize, 'Elf_Ehdr'), this.littleEndian);
    this.type = eh.u16(16);
    this.machine = eh.u16(18);
    this.entry = eh.word(24, is64);
    const phoff = toFileNumber(eh.word(is64 ? 32 : 28, is64));
    const shoff = toFileNumber(eh.word(is64 ? 40 : 32, is64));
    const phentsize = eh.u16(is64 ? 54 : 42);
    let phnum = eh.u16(is64 ? 56 : 44);
    const shentsize = eh.u16(is64 ? 58 : 46);
    let shnum = eh.u16(is64 ? 60 : 48);
    let shstrndx = eh.u16(is64 ? 62 : 50);

    const shdrSize = is64 ? 64 : 40;
    const phdrSize = is64 ? 56 : 32;
    if (shoff !== 0 && shentsize < shdrSize) {
      throw new ElfFormatError(
        name,
        is64 ? 58 : 46,
        'e_shentsize',
        `${shentsize} is smaller than ${shdrSize}`,
      );
    }

    // Extended numbering: counts that do not fit 16 bits live in section 0.
    if (shoff !== 0 && (shnum === 0 || shstrndx === SHN_XINDEX || phnum === PN_XNUM)) {
      const s0 = this.readShdr(shoff, shdrSize, 0);
      if (shnum === 0) shnum = toFileNumber(s0.size);
      if (shstrndx === SHN_XINDEX) shstrndx = s0.link;
      if (phnum === PN_XNUM) phnum = s0.info;
    }
    this.shstrndx = shstrndx;

    const raw =
      shoff !== 0 && shnum > 0
        ? this.readTable(
            shoff,
            shnum,
            shentsize,
            shdrSize,
            'section header table (e_shoff, e_shnum)',
            (r) => parseShdr(r, is64),
          )
        : [];

    let names: Uint8Array | undefined;
    const strtab = shstrndx !== 0 && shstrndx < SHN_LORESERVE ? raw[shstrndx] : undefined;
    if (strtab && strtab.type !== SHT_NOBITS) {
      names = source.read(
        toFileNumber(strtab.offset),
        toFileNumber(strtab.size),
        `section name table [${shstrndx}] (e_shstrndx)`,
      );
    }
    this.sections = raw.map(
      (s, i) =>
        new LazySection(
          source,
          i,
          names ? cString(names, s.nameOff) : '',
          s.type,
          s.flags,
          s.addr,
          toFileNumber(s.offset),
          toFileNumber(s.size),
          s.link,
          s.info,
          s.addralign,
          toFileNumber(s.entsize),
        ),
    );

    if (phoff !== 0 && phnum > 0 && phentsize < phdrSize) {
      throw new ElfFormatError(
        name,
        is64 ? 54 : 42,
        'e_phentsize',
        `${phentsize} is smaller than ${phdrSize}`,
      );
    }
    this.programHeaders =
      phoff !== 0 && phnum > 0
        ? this.readTable(
            phoff,
            phnum,
            phentsize,
            phdrSize,
            'program header table (e_phoff, e_phnum)',
            (r) => parsePhdr(r, is64),
          )
        : [];
  }

  /**
   * A header table: `count` entries `entsize` bytes apart, each parsed from its first
   * `entryBytes`. One read for the whole table; the source bounds it by the file size.
   */
  private readTable<T>(
    offset: number,
    count: number,
    entsize: number,
    entryBytes: number,
    what: string,
    parse: (fields: FieldReader) => T,
  ): T[] {
    const table = this.source.read(offset, count * entsize, what);
    return Array.from({ length: count }, (_, i) =>
      parse(
        new FieldReader(table.subarray(i * entsize, i * entsize + entryBytes), this.littleEndian),
      ),
    );
  }

  private readShdr(shoff: number, size: number, index: number): RawShdr {
    const bytes = this.source.read(shoff + index * size, size, `section header [${index}]`);
    return parseShdr(new FieldReader(bytes, this.littleEndian), this.is64);
  }

  get path(): string {
    return this.source.name;
  }

  get fileSize(): number {
    return this.source.size;
  }

  /** The first section with this name, searching from index 1 like perf's elf_section_by_name(). */
  section(name: string): ElfSectionHeader | undefined {
    for (let i = 1; i < this.sections.length; i++) {
      const s = this.sections[i]!;
      if (s.name === name) return s;
    }
    return undefined;
  }

  /** A reader for fields of this file's byte order. */
  fields(bytes: Uint8Array): FieldReader {
    return new FieldReader(bytes, this.littleEndian);
  }

  /** Read bytes of the file itself (bounds-checked). */
  readBytes(offset: number, length: number, field: string): Uint8Array {
    return this.source.read(offset, length, field);
  }

  /**
   * The GNU build-id as lowercase hex, found as perf does: the first of the
   * sections .note.gnu.build-id, .notes, .note, else any PT_NOTE segment.
   */
  buildId(): string | undefined {
    if (this.buildIdCache === undefined) this.buildIdCache = readBuildId(this) ?? null;
    return this.buildIdCache ?? undefined;
  }

  /** The .gnu_debuglink section: the detached debug file's name and its CRC32. */
  debugLink(): DebugLink | undefined {
    return readDebugLink(this);
  }

  close(): void {
    this.source.close();
  }
}

interface RawShdr {
  nameOff: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

/*
 * typedef struct {               ELF64 offset / ELF32 offset
 *   Elf_Word  sh_name;           0 / 0
 *   Elf_Word  sh_type;           4 / 4
 *   Elf_Xword sh_flags;          8 / 8    (Elf32_Word in ELF32)
 *   Elf_Addr  sh_addr;           16 / 12
 *   Elf_Off   sh_offset;         24 / 16
 *   Elf_Xword sh_size;           32 / 20
 *   Elf_Word  sh_link;           40 / 24
 *   Elf_Word  sh_info;           44 / 28
 *   Elf_Xword sh_addralign;      48 / 32
 *   Elf_Xword sh_entsize;        56 / 36
 * } Elf_Shdr;                    (64 / 40 bytes)
 */
function parseShdr(r: FieldReader, is64: boolean): RawShdr {
  return is64
    ? {
        nameOff: r.u32(0),
        type: r.u32(4),
        flags: r.u64(8),
        addr: r.u64(16),
        offset: r.u64(24),
        size: r.u64(32),
        link: r.u32(40),
        info: r.u32(44),
        addralign: r.u64(48),
        entsize: r.u64(56),
      }
    : {
        nameOff: r.u32(0),
        type: r.u32(4),
        flags: BigInt(r.u32(8)),
        addr: BigInt(r.u32(12)),
        offset: BigInt(r.u32(16)),
        size: BigInt(r.u32(20)),
        link: r.u32(24),
        info: r.u32(28),
        addralign: BigInt(r.u32(32)),
        entsize: BigInt(r.u32(36)),
      };
}

/*
 * Elf64_Phdr: p_type u32 @0, p_flags u32 @4, p_offset @8, p_vaddr @16,
 *             p_paddr @24, p_filesz @32, p_memsz @40, p_align @48 (56 bytes)
 * Elf32_Phdr: p_type @0, p_offset @4, p_vaddr @8, p_paddr @12,
 *             p_filesz @16, p_memsz @20, p_flags @24, p_align @28 (32 bytes)
 */
function parsePhdr(r: FieldReader, is64: boolean): ElfProgramHeader {
  return is64
    ? {
        type: r.u32(0),
        flags: r.u32(4),
        offset: toFileNumber(r.u64(8)),
        vaddr: r.u64(16),
        paddr: r.u64(24),
        filesz: toFileNumber(r.u64(32)),
        memsz: r.u64(40),
        align: r.u64(48),
      }
    : {
        type: r.u32(0),
        offset: r.u32(4),
        vaddr: BigInt(r.u32(8)),
        paddr: BigInt(r.u32(12)),
        filesz: r.u32(16),
        memsz: BigInt(r.u32(20)),
        flags: r.u32(24),
        align: BigInt(r.u32(28)),
      };
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** A NUL-terminated string in a string table ('' when the offset is outside it). */
export function cString(table: Uint8Array, offset: number): string {
  if (offset < 0 || offset >= table.length) return '';
  let end = offset;
  let ascii = true;
  while (end < table.length && table[end] !== 0) {
    if (table[end]! >= 0x80) ascii = false;
    end++;
  }
  const bytes = table.subarray(offset, end);
  return ascii ? latin1.decode(bytes) : utf8.decode(bytes);
}
