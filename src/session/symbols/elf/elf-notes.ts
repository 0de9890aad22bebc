/**
 * Build-id notes and .gnu_debuglink, read the way perf 6.1 does
 * (symbol-elf.c elf_read_build_id, filename__read_debuglink).
 */
import { NT_GNU_BUILD_ID, PT_NOTE, SHT_NOBITS } from './elf-constants.js';
import type { ElfFile } from './elf-file.js';

/** perf's BUILD_ID_SIZE: it keeps at most 20 bytes of a build-id. */
export const BUILD_ID_SIZE = 20;

export interface DebugLink {
  /** The debug file's base name. */
  name: string;
  /** CRC32 of the whole debug file, as stored after the name. */
  crc: number;
}

const align4 = (n: number): number => (n + 3) & ~3;

/*
 * A note (Elf32_Nhdr and Elf64_Nhdr are the same):
 *   Elf_Word n_namesz;  @0
 *   Elf_Word n_descsz;  @4
 *   Elf_Word n_type;    @8
 *   char name[n_namesz], padded to 4;  then desc[n_descsz], padded to 4
 */
function buildIdInNotes(elf: ElfFile, notes: Uint8Array): string | undefined {
  const r = elf.fields(notes);
  let p = 0;
  while (p + 12 <= notes.length) {
    const namesz = r.u32(p);
    const descsz = r.u32(p + 4);
    const type = r.u32(p + 8);
    const nameAt = p + 12;
    const descAt = nameAt + align4(namesz);
    const next = descAt + align4(descsz);
    if (
      type === NT_GNU_BUILD_ID &&
      namesz === 4 &&
      notes[nameAt] === 0x47 && // "GNU\0"
      notes[nameAt + 1] === 0x4e &&
      notes[nameAt + 2] === 0x55 &&
      notes[nameAt + 3] === 0
    ) {
      // perf copies min(BUILD_ID_SIZE, aligned descsz) bytes.
      const n = Math.min(BUILD_ID_SIZE, align4(descsz), notes.length - descAt);
      if (n <= 0) return undefined;
      return Buffer.from(notes.subarray(descAt, descAt + n)).toString('hex');
    }
    if (next <= p) break;
    p = next;
  }
  return undefined;
}

export function readBuildId(elf: ElfFile): string | undefined {
  for (const name of ['.note.gnu.build-id', '.notes', '.note']) {
    const sec = elf.section(name);
    if (sec) {
      // perf stops at the first of these sections that exists, found or not.
      return sec.type === SHT_NOBITS ? undefined : buildIdInNotes(elf, sec.data());
    }
  }
  // No note sections (e.g. section headers stripped): look in the PT_NOTE segments.
  for (const ph of elf.programHeaders) {
    if (ph.type !== PT_NOTE || ph.filesz === 0) continue;
    const id = buildIdInNotes(
      elf,
      elf.readBytes(ph.offset, ph.filesz, 'PT_NOTE segment (p_offset, p_filesz)'),
    );
    if (id) return id;
  }
  return undefined;
}

/*
 * .gnu_debuglink: the debug file name, NUL-terminated, zero-padded to a
 * multiple of 4, then a 4-byte CRC32 in the file's byte order.
 */
export function readDebugLink(elf: ElfFile): DebugLink | undefined {
  const sec = elf.section('.gnu_debuglink');
  if (!sec || sec.type === SHT_NOBITS) return undefined;
  const data = sec.data();
  const nul = data.indexOf(0);
  if (nul <= 0) return undefined;
  const name = Buffer.from(data.subarray(0, nul)).toString('utf8');
  const crcAt = align4(nul + 1);
  const crc = crcAt + 4 <= data.length ? elf.fields(data).u32(crcAt) : 0;
  return { name, crc };
}

/** dso__build_id_equal(): also accepts a recorded 20-byte id that is the file's id plus zero padding. */
export function buildIdsEqual(recorded: string, fromFile: string): boolean {
  const a = recorded.toLowerCase();
  const b = fromFile.toLowerCase();
  if (a === b) return true;
  if (a.length === BUILD_ID_SIZE * 2 && a.length > b.length) {
    return a.startsWith(b) && /^0*$/.test(a.slice(b.length));
  }
  return false;
}
