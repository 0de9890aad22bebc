/**
 * Bytes of a mapped file by file offset, as perf's dso__data_read_offset gives them: from the
 * section holding them (cached by ElfSections) or, for an ElfFile, a bounded positional read.
 */
import { getOrInsertComputed } from '../../get-or-insert.js';
import { ElfFile } from '../../symbols/elf/elf-file.js';
import type { ElfSection, ElfSections } from '../../symbols/elf/types.js';

const SHT_NOBITS = 8;
const PT_LOAD = 1;

interface Image {
  sections: ElfSection[];
}
const images = new WeakMap<ElfSections, Image>();

// a module-level compute: no closure allocated per read on the unwinder's path
function imageOf(elf: ElfSections): Image {
  return getOrInsertComputed(images, elf, sectionImage);
}

function sectionImage(elf: ElfSections): Image {
  const sections = elf.sections.filter((s) => s.type !== SHT_NOBITS && s.size > 0 && s.offset > 0);
  sections.sort((a, b) => a.offset - b.offset);
  return { sections };
}

/** `length` bytes at file `offset`, or undefined when the file does not hold them all. */
export function readFileBytes(
  elf: ElfSections,
  offset: bigint,
  length: number,
): Uint8Array | undefined {
  if (offset < 0n || offset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const off = Number(offset);
  const { sections } = imageOf(elf);
  let lo = 0;
  let hi = sections.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (off < sections[mid]!.offset) hi = mid;
    else lo = mid + 1;
  }
  const s = sections[hi - 1];
  if (s && off + length <= s.offset + s.size) {
    const data = s.data();
    const at = off - s.offset;
    if (at + length <= data.length) return data.subarray(at, at + length);
  }
  if (elf instanceof ElfFile) {
    if (off + length > elf.fileSize) return undefined;
    try {
      return elf.readBytes(off, length, 'unwind memory read');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The file offset of a link-time address through the PT_LOAD segments. */
export function vaddrToFileOffset(elf: ElfSections, vaddr: bigint): bigint | undefined {
  for (const p of elf.programHeaders) {
    if (p.type !== PT_LOAD) continue;
    if (vaddr >= p.vaddr && vaddr < p.vaddr + BigInt(p.filesz))
      return BigInt(p.offset) + (vaddr - p.vaddr);
  }
  return undefined;
}

/**
 * perf 6.1's load bias of a DSO for unwinding: the lowest start of the thread's maps of that DSO
 * minus the first PT_LOAD's p_vaddr rounded down to the page size (elf_base_address()).
 */
export function perfLoadBias(elf: ElfSections, lowestMapStart: bigint, pageSize = 4096n): bigint {
  const first = elf.programHeaders.find((p) => p.type === PT_LOAD);
  const base = first ? first.vaddr & ~(pageSize - 1n) : 0n;
  return lowestMapStart - base;
}
