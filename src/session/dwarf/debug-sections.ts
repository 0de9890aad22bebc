/**
 * The bytes of an ELF section as the DWARF readers need them: SHF_COMPRESSED sections (zlib or
 * zstd, the Elf_Chdr header) are inflated. Cached per ElfSections object.
 */
import { inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import type { ElfSection, ElfSections } from '../symbols/elf/types.js';
import { DwarfFormatError } from './errors.js';

const SHF_COMPRESSED = 0x800n;
const ELFCOMPRESS_ZLIB = 1;
const ELFCOMPRESS_ZSTD = 2;
/** Refuse to inflate more than this (a corrupt ch_size must not allocate gigabytes). */
const MAX_INFLATED = 512 * 1024 * 1024;
/** Real DWARF compresses far less than 1:200. */
const MAX_RATIO = 200;

const cache = new WeakMap<ElfSections, Map<string, Uint8Array | null>>();

/** The (decompressed) data of the first section named `name`, or undefined when absent. */
export function sectionBytes(elf: ElfSections, name: string): Uint8Array | undefined {
  let perFile = cache.get(elf);
  if (!perFile) {
    perFile = new Map();
    cache.set(elf, perFile);
  }
  const hit = perFile.get(name);
  if (hit !== undefined) return hit ?? undefined;
  const s = elf.section(name);
  const bytes = s ? readSection(elf, s) : null;
  perFile.set(name, bytes);
  return bytes ?? undefined;
}

function readSection(elf: ElfSections, s: ElfSection): Uint8Array {
  const raw = s.data();
  if ((s.flags & SHF_COMPRESSED) === 0n) return raw;
  /*
   * typedef struct { Elf64_Word ch_type; Elf64_Word ch_reserved; Elf64_Xword ch_size;
   *                  Elf64_Xword ch_addralign; } Elf64_Chdr;            (24 bytes)
   * typedef struct { Elf32_Word ch_type; Elf32_Word ch_size; Elf32_Word ch_addralign; } Elf32_Chdr;
   */
  const hdrSize = elf.is64 ? 24 : 12;
  if (raw.length < hdrSize)
    throw new DwarfFormatError(s.name, 0, 'Elf_Chdr', 'truncated compression header');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = elf.littleEndian;
  const type = view.getUint32(0, le);
  const size = elf.is64 ? view.getBigUint64(8, le) : BigInt(view.getUint32(4, le));
  const payload = raw.subarray(hdrSize);
  if (size > BigInt(Math.min(MAX_INFLATED, (payload.length + 1024) * MAX_RATIO))) {
    throw new DwarfFormatError(
      s.name,
      elf.is64 ? 8 : 4,
      'Elf_Chdr.ch_size',
      `implausible inflated size ${size}`,
    );
  }
  const want = Number(size);
  let out: Uint8Array;
  if (type === ELFCOMPRESS_ZLIB) {
    out = new Uint8Array(inflateSync(payload, { maxOutputLength: Math.max(want, 1) }));
  } else if (type === ELFCOMPRESS_ZSTD) {
    out = zstdDecompress(payload, new Uint8Array(want));
  } else {
    throw new DwarfFormatError(s.name, 0, 'Elf_Chdr.ch_type', `unknown compression ${type}`);
  }
  if (out.length !== want) {
    throw new DwarfFormatError(
      s.name,
      0,
      'Elf_Chdr.ch_size',
      `inflated to ${out.length} bytes, header says ${want}`,
    );
  }
  return out;
}
