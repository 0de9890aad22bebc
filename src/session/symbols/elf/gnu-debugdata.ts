/**
 * .gnu_debugdata ("MiniDebugInfo", Fedora and others): an xz-compressed ELF
 * file holding a .symtab with the functions .dynsym lacks. Its sections
 * other than the symbol tables are NOBITS, so symbols are placed with the
 * outer file's section and program headers.
 */
import { SHT_NOBITS } from './elf-constants.js';
import { ElfFile } from './elf-file.js';
import { decompressXz } from './xz-decoder.js';

/** The embedded ELF can be no larger than this many times its compressed size, nor 1 GiB. */
const MAX_EXPANSION = 64;
const MAX_SIZE = 1 << 30;

export function loadGnuDebugdata(elf: ElfFile): ElfFile | undefined {
  const sec = elf.section('.gnu_debugdata');
  if (!sec || sec.type === SHT_NOBITS || sec.size === 0) return undefined;
  const limit = Math.min(MAX_SIZE, Math.max(1 << 20, sec.size * MAX_EXPANSION));
  const bytes = decompressXz(sec.data(), limit);
  return ElfFile.fromBytes(`${elf.path} [.gnu_debugdata]`, bytes);
}
