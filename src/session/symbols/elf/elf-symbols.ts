/**
 * Raw symbol-table and relocation entries of an ELF file.
 */
import type { ElfFile, ElfSectionHeader } from './elf-file.js';

export interface ElfSym {
  /** st_name: offset into the linked string table. */
  nameOff: number;
  /** st_info: binding in the high nibble, type in the low nibble. */
  info: number;
  /** st_other: visibility in the low 2 bits. */
  other: number;
  shndx: number;
  value: bigint;
  size: bigint;
}

export const symBind = (s: ElfSym): number => s.info >> 4;
export const symType = (s: ElfSym): number => s.info & 0xf;
export const symVisibility = (s: ElfSym): number => s.other & 0x3;

/*
 * typedef struct {              typedef struct {
 *   Elf64_Word    st_name;  @0    Elf32_Word    st_name;   @0
 *   unsigned char st_info;  @4    Elf32_Addr    st_value;  @4
 *   unsigned char st_other; @5    Elf32_Word    st_size;   @8
 *   Elf64_Half    st_shndx; @6    unsigned char st_info;   @12
 *   Elf64_Addr    st_value; @8    unsigned char st_other;  @13
 *   Elf64_Xword   st_size;  @16   Elf32_Half    st_shndx;  @14
 * } Elf64_Sym;  (24 bytes)      } Elf32_Sym;  (16 bytes)
 */
export function symEntrySize(elf: ElfFile): number {
  return elf.is64 ? 24 : 16;
}

/**
 * The symbols of a SHT_SYMTAB/SHT_DYNSYM section. Like perf, the count is
 * sh_size / sh_entsize while entries are read at the struct's own stride.
 */
export class SymbolTableReader {
  readonly count: number;
  private readonly bytes: Uint8Array;
  private readonly stride: number;

  constructor(
    private readonly elf: ElfFile,
    section: ElfSectionHeader,
  ) {
    this.bytes = section.data();
    this.stride = symEntrySize(elf);
    const declared = section.entsize > 0 ? Math.floor(section.size / section.entsize) : 0;
    this.count = Math.min(declared, Math.floor(this.bytes.length / this.stride));
  }

  /** Entry `i`, or undefined past the table (perf's gelf_getsym() failing). */
  at(i: number): ElfSym | undefined {
    if (i < 0 || i >= Math.floor(this.bytes.length / this.stride)) return undefined;
    const r = this.elf.fields(this.bytes.subarray(i * this.stride, (i + 1) * this.stride));
    return this.elf.is64
      ? {
          nameOff: r.u32(0),
          info: r.u8(4),
          other: r.u8(5),
          shndx: r.u16(6),
          value: r.u64(8),
          size: r.u64(16),
        }
      : {
          nameOff: r.u32(0),
          value: BigInt(r.u32(4)),
          size: BigInt(r.u32(8)),
          info: r.u8(12),
          other: r.u8(13),
          shndx: r.u16(14),
        };
  }
}

/*
 * Elf64_Rel  { r_offset @0; r_info u64 @8 }                  (16 bytes)
 * Elf64_Rela { r_offset @0; r_info u64 @8; r_addend @16 }    (24 bytes)
 * Elf32_Rel  { r_offset @0; r_info u32 @4 }                  (8 bytes)
 * Elf32_Rela { r_offset @0; r_info u32 @4; r_addend @8 }     (12 bytes)
 * The symbol index is r_info >> 32 (ELF64) or r_info >> 8 (ELF32).
 */
export function relocationSymbolIndexes(
  elf: ElfFile,
  section: ElfSectionHeader,
  isRela: boolean,
): number[] {
  const bytes = section.data();
  const stride = elf.is64 ? (isRela ? 24 : 16) : isRela ? 12 : 8;
  const declared = section.entsize > 0 ? Math.floor(section.size / section.entsize) : 0;
  const count = Math.min(declared, Math.floor(bytes.length / stride));
  const out: number[] = [];
  const r = elf.fields(bytes);
  for (let i = 0; i < count; i++) {
    const at = i * stride;
    out.push(elf.is64 ? Number(r.u64(at + 8) >> 32n) : r.u32(at + 4) >>> 8);
  }
  return out;
}
