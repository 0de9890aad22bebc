/** Public API of the symbol resolver (see README.md in this folder). */
export {
  SymbolResolver,
  type SymbolOptions,
  type DsoRef,
  type LoadedDso,
  type KernelRef,
  type LoadedKernel,
  type ResolvedSymbol,
  type KernelModuleMap,
  type KallsymsFiles,
} from './resolver.js';
export { ElfFile, type ElfSectionHeader, type DebugLink } from './elf/elf-file.js';
export { ElfFormatError } from './elf/byte-source.js';
export type { ElfSection, ElfSections, ElfProgramHeader } from './elf/types.js';
export { loadGnuDebugdata } from './elf/gnu-debugdata.js';
export { perfDemangle } from './demangle/demangle.js';
