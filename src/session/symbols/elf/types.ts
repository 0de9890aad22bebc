/**
 * The shape of an opened ELF file, as other session code (the DWARF reader)
 * consumes it. ElfFile (elf-file.ts) implements these interfaces.
 *
 * Offsets and sizes that index the file are plain numbers (files are far
 * below 2^53 bytes); addresses and flags stay bigint because 64-bit virtual
 * addresses (kernel images at 0xffffffff8...) do not fit a double exactly.
 */

/** One section header (Elf32_Shdr / Elf64_Shdr) with its resolved name. */
export interface ElfSection {
  /** Name from the section header string table (.shstrtab), '' when none. */
  name: string;
  /** sh_type: SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_NOBITS = 8, ... */
  type: number;
  /** sh_flags: SHF_ALLOC = 2, SHF_EXECINSTR = 4, SHF_COMPRESSED = 0x800, ... */
  flags: bigint;
  /** sh_addr: virtual address of the section when loaded (0 if not allocated). */
  addr: bigint;
  /** sh_offset: byte offset of the section's data in the file. */
  offset: number;
  /** sh_size: bytes of section data (SHT_NOBITS sections occupy none in the file). */
  size: number;
  /**
   * The section's raw bytes as stored in the file (read lazily on first call,
   * then cached). Empty for SHT_NOBITS. SHF_COMPRESSED data is returned as
   * stored (with its Elf_Chdr header), not inflated.
   */
  data(): Uint8Array;
}

/** One program header (Elf32_Phdr / Elf64_Phdr). */
export interface ElfProgramHeader {
  /** p_type: PT_LOAD = 1, PT_DYNAMIC = 2, PT_NOTE = 4, ... */
  type: number;
  /** p_flags: PF_X = 1, PF_W = 2, PF_R = 4. */
  flags: number;
  /** p_offset: file offset of the segment. */
  offset: number;
  /** p_vaddr: virtual address of the segment. */
  vaddr: bigint;
  /** p_paddr: physical address (rarely meaningful). */
  paddr: bigint;
  /** p_filesz: bytes of the segment in the file. */
  filesz: number;
  /** p_memsz: bytes of the segment in memory (>= filesz). */
  memsz: bigint;
  /** p_align. */
  align: bigint;
}

export interface ElfSections {
  /** ELFCLASS64 (true) or ELFCLASS32 (false). */
  readonly is64: boolean;
  /** ELFDATA2LSB (true) or ELFDATA2MSB (false). */
  readonly littleEndian: boolean;
  /** e_machine: EM_X86_64 = 62, EM_AARCH64 = 183, EM_386 = 3, ... */
  readonly machine: number;
  /** e_type: ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4. */
  readonly type: number;
  /** The first section with this exact name, if any. */
  section(name: string): ElfSection | undefined;
  /** All section headers in file order (index 0 is the SHN_UNDEF null section). */
  readonly sections: readonly ElfSection[];
  readonly programHeaders: readonly ElfProgramHeader[];
}
