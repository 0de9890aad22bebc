/**
 * Which file objdump disassembles for a DSO, as perf 6.1 picks it (util/annotate.c
 * dso__disassemble_filename), and where the DSO's symbols lie in objdump's addresses
 * (util/map.c map__rip_2objdump).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ElfFile } from '../symbols';
import { buildIdCachePath, joinSymfs } from '../symbols/locate/candidate-files';

export interface DisassemblyFileQuery {
  /** The DSO's recorded path (perf's long_name). */
  dsoPath: string;
  buildId: string | undefined;
  /** symfs root ('' or undefined for none). */
  symfs: string | undefined;
  /** The build-id cache (perf's buildid_dir). */
  buildIdDir: string;
  /** [vdso]: the cache holds it as `.../vdso`, not `.../elf`. */
  vdso?: boolean;
}

/**
 * The build-id cache's copy when the cache has one (its `.build-id/xx/yyyy` entry a link into the
 * cache, the file readable, not a kernel image), else the recorded path (under symfs). perf
 * prefixes the cache path with the symfs too, but it also moves the cache into the symfs
 * (`--symfs` sets buildid_dir to SYMFS/.debug), so with a symfs that path never exists: with a
 * symfs only the recorded path is used.
 */
export function disassemblyFile(q: DisassemblyFileQuery): string {
  if (q.buildId && !q.symfs) {
    const cached = buildIdCachePath(q.buildIdDir, q.buildId, q.vdso ? 'vdso' : 'elf');
    // new-style entries are folders: the link is the folder, old-style the file itself
    const link = path.basename(cached).length < 38 ? path.dirname(cached) : cached;
    try {
      const target = fs.readlinkSync(link);
      if (!target.includes('[kernel.kallsyms]') && !target.includes('[kernel.kcore]')) {
        fs.accessSync(cached, fs.constants.R_OK);
        return cached;
      }
    } catch {
      // not in the cache (or not a link): the recorded path
    }
  }
  return joinSymfs(q.symfs ?? '', q.dsoPath);
}

/**
 * perf's dso->text_offset (.text's sh_addr - sh_offset): user-space symbols are file offsets
 * (perf's map_ip space), objdump speaks virtual addresses; map__rip_2objdump adds this.
 */
export function textOffset(file: string): bigint {
  const elf = ElfFile.open(file);
  try {
    const text = elf.section('.text');
    return text ? text.addr - BigInt(text.offset) : 0n;
  } finally {
    elf.close();
  }
}
