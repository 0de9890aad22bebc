/**
 * binutils' last resort for a function name (bfd/elf.c _bfd_elf_find_function with
 * _bfd_elf_maybe_function_sym and better_fit, 2.40), used by addr2line when no DWARF function
 * covers the address: the closest symbol at or below the address in the same section, from
 * .symtab (or .dynsym when .symtab has no symbols). Section, file, object and TLS symbols do not
 * count, nor hidden local zero-size STT_NOTYPE ones; a zero size counts as 1.
 *
 *   Elf64_Sym { st_name u32 @0; st_info u8 @4; st_other u8 @5; st_shndx u16 @6;
 *               st_value u64 @8; st_size u64 @16 }                        (24 bytes)
 *   Elf32_Sym { st_name @0; st_value @4; st_size @8; st_info @12; st_other @13; st_shndx @14 }
 */
import {
  SHN_LORESERVE,
  SHT_DYNSYM,
  SHT_SYMTAB,
  STB_LOCAL,
  STT_COMMON,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  STT_TLS,
  STV_HIDDEN,
} from '../../symbols/elf/elf-constants.js';
import type { ElfSection, ElfSections } from '../../symbols/elf/types.js';
import { stringAt } from '../section-cursor.js';

interface Sym {
  name: string;
  value: bigint;
  size: bigint;
  type: number;
  shndx: number;
}

const tables = new WeakMap<ElfSections, Sym[]>();

function readSymbols(elf: ElfSections, sec: ElfSection): Sym[] {
  const bytes = sec.data();
  const strtab =
    elf.sections[(sec as { link?: number }).link ?? -1]?.data() ?? findStrtab(elf, sec);
  const size = elf.is64 ? 24 : 16;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = elf.littleEndian;
  const out: Sym[] = [];
  for (let at = size; at + size <= bytes.length; at += size) {
    const nameOff = view.getUint32(at, le);
    const info = elf.is64 ? view.getUint8(at + 4) : view.getUint8(at + 12);
    const other = elf.is64 ? view.getUint8(at + 5) : view.getUint8(at + 13);
    const shndx = elf.is64 ? view.getUint16(at + 6, le) : view.getUint16(at + 14, le);
    const value = elf.is64 ? view.getBigUint64(at + 8, le) : BigInt(view.getUint32(at + 4, le));
    const symSize = elf.is64 ? view.getBigUint64(at + 16, le) : BigInt(view.getUint32(at + 8, le));
    const type = info & 0xf;
    if (
      type === STT_SECTION ||
      type === STT_FILE ||
      type === STT_OBJECT ||
      type === STT_COMMON ||
      type === STT_TLS
    )
      continue;
    if (shndx === 0 || shndx >= SHN_LORESERVE) continue;
    if (
      symSize === 0n &&
      info >> 4 === STB_LOCAL &&
      type === STT_NOTYPE &&
      (other & 3) === STV_HIDDEN
    )
      continue;
    out.push({
      name: (strtab && stringAt(strtab, nameOff)) ?? '',
      value,
      size: symSize === 0n ? 1n : symSize,
      type,
      shndx,
    });
  }
  return out;
}

function findStrtab(elf: ElfSections, sec: ElfSection): Uint8Array | undefined {
  return elf.section(sec.type === SHT_DYNSYM ? '.dynstr' : '.strtab')?.data();
}

function symbolsOf(elf: ElfSections): Sym[] {
  let syms = tables.get(elf);
  if (!syms) {
    const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
    syms = symtab ? readSymbols(elf, symtab) : [];
    if (syms.length === 0) {
      const dynsym = elf.sections.find((s) => s.type === SHT_DYNSYM);
      syms = dynsym ? readSymbols(elf, dynsym) : [];
    }
    tables.set(elf, syms);
  }
  return syms;
}

/** The symbol name binutils picks for `vaddr` in section number `shndx`, if any. */
export function symtabFunction(elf: ElfSections, shndx: number, vaddr: bigint): string | undefined {
  let best: Sym | undefined;
  let bestOff = 0n;
  let bestSize = 0n;
  for (const s of symbolsOf(elf)) {
    if (s.shndx !== shndx || s.value > vaddr) continue;
    let better: boolean;
    if (!best || s.value > bestOff) better = true;
    else if (s.value < bestOff) better = false;
    else if (bestOff + bestSize <= vaddr) better = s.size > bestSize;
    else if (s.value + s.size > vaddr)
      better =
        s.size < bestSize || (s.size === bestSize && s.type === STT_FUNC && best.type !== STT_FUNC);
    else better = false;
    if (better) {
      best = s;
      bestOff = s.value;
      bestSize = s.size;
    }
  }
  return best?.name;
}
