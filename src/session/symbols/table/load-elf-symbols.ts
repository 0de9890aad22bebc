/**
 * Builds a user-space DSO's symbol tree exactly as perf 6.1 does
 * (tools/perf/util/symbol-elf.c: symsrc__init, dso__load_sym,
 * dso__load_sym_internal, dso__synthesize_plt_symbols).
 *
 * Summary of perf 6.1's rules reproduced here:
 * - Both .symtab and .dynsym of the symbol source are loaded (.symtab
 *   first), each followed by symbols__fixup_end + symbols__fixup_duplicate;
 *   aliases at one address collapse to one name (choose_best_symbol).
 * - Kept: named, defined STT_FUNC / STT_GNU_IFUNC / STT_OBJECT symbols, and
 *   STT_NOTYPE "labels" (not SHN_ABS, not hidden/internal) in a section
 *   whose name contains "text" or "data"; never SHN_ABS ones, never ones in
 *   a section without SHF_ALLOC. ARM/AArch64 mapping symbols ($a, $d, $t,
 *   $x) are dropped and the ARM Thumb bit cleared.
 * - Every user-space symbol is moved from its virtual address to its file
 *   offset: st_value -= p_vaddr - p_offset of the PT_LOAD holding it (or
 *   sh_addr - sh_offset of its section if no PT_LOAD does). That is the
 *   space of perf's map_ip (ip - map start + pgoff).
 * - Sizes: end = start + st_size; empty symbols end where the next begins.
 * - PLT entries get "<name>@plt" symbols afterwards, at file offsets.
 */
import type { ElfFile, ElfSectionHeader } from '../elf/elf-file.js';
import { cString } from '../elf/elf-file.js';
import {
  EM_AARCH64,
  EM_ARM,
  EM_SPARC,
  EM_SPARCV9,
  PT_LOAD,
  SHF_ALLOC,
  SHN_ABS,
  SHN_UNDEF,
  SHT_DYNSYM,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_REL,
  SHT_RELA,
  SHT_SYMTAB,
  STB_GLOBAL,
  STT_FUNC,
  STT_GNU_IFUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STV_HIDDEN,
  STV_INTERNAL,
} from '../elf/elf-constants.js';
import {
  type ElfSym,
  SymbolTableReader,
  relocationSymbolIndexes,
  symBind,
  symType,
  symVisibility,
} from '../elf/elf-symbols.js';
import type { SymbolTree } from './symbol-tree.js';

const U64_MASK = (1n << 64n) - 1n;

/** perf's struct symsrc: one candidate file and the tables it offers. */
export interface SymbolSource {
  elf: ElfFile;
  symtab: ElfSectionHeader | undefined;
  dynsym: ElfSectionHeader | undefined;
  dynsymIndex: number;
  opd: ElfSectionHeader | undefined;
}

/** symsrc__init(): the tables are only used if their section types are right. */
export function symbolSource(elf: ElfFile): SymbolSource {
  const symtab = elf.section('.symtab');
  const dynsym = elf.section('.dynsym');
  const opd = elf.section('.opd');
  return {
    elf,
    symtab: symtab?.type === SHT_SYMTAB ? symtab : undefined,
    dynsym: dynsym?.type === SHT_DYNSYM ? dynsym : undefined,
    dynsymIndex: dynsym?.type === SHT_DYNSYM ? dynsym.index : 0,
    opd: opd?.type === SHT_PROGBITS ? opd : undefined,
  };
}

/** symsrc__possibly_runtime(): has what the running process used. */
export const possiblyRuntime = (ss: SymbolSource): boolean =>
  ss.dynsym !== undefined || ss.opd !== undefined;

export type Demangler = (name: string) => string | undefined;

function isFunction(s: ElfSym): boolean {
  const t = symType(s);
  return (t === STT_FUNC || t === STT_GNU_IFUNC) && s.nameOff !== 0 && s.shndx !== SHN_UNDEF;
}

function isObject(s: ElfSym): boolean {
  return symType(s) === STT_OBJECT && s.nameOff !== 0 && s.shndx !== SHN_UNDEF;
}

function isLabel(s: ElfSym): boolean {
  const v = symVisibility(s);
  return (
    symType(s) === STT_NOTYPE &&
    s.nameOff !== 0 &&
    s.shndx !== SHN_UNDEF &&
    s.shndx !== SHN_ABS &&
    v !== STV_HIDDEN &&
    v !== STV_INTERNAL
  );
}

/** elf_read_program_header(): the first non-empty PT_LOAD containing vaddr. */
function loadSegmentOf(elf: ElfFile, vaddr: bigint): { vaddr: bigint; offset: bigint } | undefined {
  for (const ph of elf.programHeaders) {
    if (ph.type !== PT_LOAD) continue;
    const filesz = BigInt(ph.filesz);
    const sz = ph.memsz > filesz ? ph.memsz : filesz;
    if (sz === 0n) continue;
    if (vaddr >= ph.vaddr && vaddr < ph.vaddr + sz)
      return { vaddr: ph.vaddr, offset: BigInt(ph.offset) };
  }
  return undefined;
}

/** elf_addr_to_index(): the first section (from 1) whose [sh_addr, +sh_size) holds addr. */
function sectionIndexOfAddress(elf: ElfFile, addr: bigint): number {
  for (let i = 1; i < elf.sections.length; i++) {
    const s = elf.sections[i]!;
    if (addr >= s.addr && addr < s.addr + BigInt(s.size)) return i;
  }
  return -1;
}

/**
 * dso__load_sym_internal() for one table. Returns the number of symbols
 * inserted, or -1 when perf would give up (symbols inserted before that
 * point stay, without the fix-ups, as in perf).
 */
function loadTable(
  tree: SymbolTree,
  syms: SymbolSource,
  runtime: SymbolSource,
  table: ElfSectionHeader,
  demangle: Demangler | undefined,
): number {
  const elf = syms.elf;
  const strtab = elf.sections[table.link];
  if (!strtab) return -1;
  if (!runtime.elf.sections[runtime.elf.shstrndx] || !elf.sections[elf.shstrndx]) return -1;
  const strings = strtab.data();
  const opdData = runtime.opd?.data();
  const reader = new SymbolTableReader(elf, table);
  const machine = elf.machine;
  let nr = 0;

  for (let idx = 0; idx < reader.count; idx++) {
    const sym = reader.at(idx);
    if (!sym) break;
    const label = isLabel(sym);
    if (!label && !isFunction(sym) && !isObject(sym)) continue;
    const rawName = cString(strings, sym.nameOff);

    if ((machine === EM_ARM || machine === EM_AARCH64) && /^\$[adtx](?:$|\.)/.test(rawName))
      continue;

    let value = sym.value;
    let shndx = sym.shndx;
    if (runtime.opd && opdData && shndx === runtime.opd.index) {
      // PPC64 ELFv1 function descriptors: the entry point is the first word.
      const off = Number(value - (syms.opd?.addr ?? 0n));
      if (off < 0 || off + 8 > opdData.length) return -1;
      value = runtime.elf.fields(opdData).u64(off);
      shndx = sectionIndexOfAddress(runtime.elf, value);
    }

    if (shndx === SHN_ABS) continue;
    let shdr = elf.sections[shndx];
    if (!shdr) return -1; // elf_getscn() fails: SHN_COMMON, SHN_XINDEX, out of range
    if ((shdr.flags & SHF_ALLOC) === 0n) continue;
    if (shdr.type === SHT_NOBITS) {
      // A debug file's sections are NOBITS: take the runtime file's header.
      shdr = runtime.elf.sections[shndx];
      if (!shdr) return -1;
    }
    if (label && !shdr.name.includes('text') && !shdr.name.includes('data')) continue;

    if (machine === EM_ARM && symType(sym) === STT_FUNC && (value & 1n) === 1n) value -= 1n;

    // User space: always adjust to the file offset (symsrc__init sets adjust_symbols).
    const seg = loadSegmentOf(runtime.elf, value);
    value = seg
      ? (value - (seg.vaddr - seg.offset)) & U64_MASK
      : (value - (shdr.addr - BigInt(shdr.offset))) & U64_MASK;

    const name = (demangle && demangle(rawName)) ?? rawName;
    tree.insert({ start: value, size: sym.size, binding: symBind(sym), type: symType(sym), name });
    nr++;
  }

  if (nr > 0) {
    tree.fixupEnd(false);
    tree.fixupDuplicate();
  }
  return nr;
}

/** dso__load_sym(): .symtab (if any), then .dynsym of the same file. */
export function loadElfSymbols(
  tree: SymbolTree,
  syms: SymbolSource,
  runtime: SymbolSource,
  demangle: Demangler | undefined,
): number {
  let nr = 0;
  if (syms.symtab) {
    const n = loadTable(tree, syms, runtime, syms.symtab, demangle);
    if (n < 0) return n;
    nr = n;
  }
  if (syms.dynsym) {
    const n = loadTable(tree, syms, runtime, syms.dynsym, demangle);
    if (n < 0) return n;
    return n + nr;
  }
  return syms.symtab ? nr : -1;
}

/** perf's snprintf(buf[1024], "%s@plt"): at most 1023 bytes. */
function pltName(name: string): string {
  const full = `${name}@plt`;
  const bytes = Buffer.from(full, 'utf8');
  return bytes.length <= 1023 ? full : bytes.subarray(0, 1023).toString('utf8');
}

/**
 * dso__synthesize_plt_symbols(): one "<name>@plt" symbol per .rela.plt /
 * .rel.plt entry, laid out from .plt's file offset after the PLT header.
 */
export function synthesizePltSymbols(
  tree: SymbolTree,
  runtime: SymbolSource,
  demangle: Demangler | undefined,
): number {
  const elf = runtime.elf;
  if (!runtime.dynsym) return 0;
  const relPlt = elf.section('.rela.plt') ?? elf.section('.rel.plt');
  if (!relPlt) return 0;
  if (relPlt.link !== runtime.dynsymIndex) return 0;
  const plt = elf.section('.plt');
  if (!plt) return 0;
  const strtab = elf.sections[runtime.dynsym.link];
  if (!strtab) return 0;
  const strings = strtab.data();
  if (strings.length === 0) return 0;
  if (relPlt.type !== SHT_RELA && relPlt.type !== SHT_REL) return 0;

  let header: number;
  let entry: number;
  switch (elf.machine) {
    case EM_ARM:
      header = 20;
      entry = 12;
      break;
    case EM_AARCH64:
      header = 32;
      entry = 16;
      break;
    case EM_SPARC:
      header = 48;
      entry = 12;
      break;
    case EM_SPARCV9:
      header = 128;
      entry = 32;
      break;
    default:
      header = plt.entsize;
      entry = plt.entsize;
  }

  const dynsyms = new SymbolTableReader(elf, runtime.dynsym);
  let offset = BigInt(plt.offset) + BigInt(header);
  let nr = 0;
  let sym: ElfSym | undefined;
  for (const symIndex of relocationSymbolIndexes(elf, relPlt, relPlt.type === SHT_RELA)) {
    // gelf_getsym() failing leaves perf's previous entry in place.
    sym = dynsyms.at(symIndex) ?? sym;
    const raw = sym ? cString(strings, sym.nameOff) : '';
    const name = (demangle && demangle(raw)) ?? raw;
    tree.insert({
      start: offset,
      size: BigInt(entry),
      binding: STB_GLOBAL,
      type: STT_FUNC,
      name: pltName(name),
    });
    offset += BigInt(entry);
    nr++;
  }
  return nr;
}
