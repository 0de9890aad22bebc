/** The DWARF sections of one file, decompressed, looked up once. */
import type { ElfSections } from '../../symbols/elf/types.js';
import { sectionBytes } from '../debug-sections.js';

export interface DebugSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  str: Uint8Array | undefined;
  lineStr: Uint8Array | undefined;
  strOffsets: Uint8Array | undefined;
  addr: Uint8Array | undefined;
  ranges: Uint8Array | undefined;
  rnglists: Uint8Array | undefined;
}

/** Undefined when the file has no .debug_info/.debug_abbrev. */
export function debugSections(elf: ElfSections): DebugSections | undefined {
  const info = sectionBytes(elf, '.debug_info');
  const abbrev = sectionBytes(elf, '.debug_abbrev');
  if (!info || !abbrev) return undefined;
  return {
    info,
    abbrev,
    str: sectionBytes(elf, '.debug_str'),
    lineStr: sectionBytes(elf, '.debug_line_str'),
    strOffsets: sectionBytes(elf, '.debug_str_offsets'),
    addr: sectionBytes(elf, '.debug_addr'),
    ranges: sectionBytes(elf, '.debug_ranges'),
    rnglists: sectionBytes(elf, '.debug_rnglists'),
  };
}
