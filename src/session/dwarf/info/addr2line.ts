/**
 * The function names `addr2line -i -f -e FILE ADDR` (binutils 2.40) prints, as perf 6.1 reads
 * them (util/srcline.c, the build without libbfd):
 * - perf asks only when the file has a .debug_line section;
 * - addr2line needs an allocated section holding the address, else prints `??` / `??:0`, which
 *   perf takes for "no information";
 * - the innermost function is the smallest single range containing the address among the
 *   functions of the first unit whose ranges hold it (later DIEs win ties); the inline chain
 *   follows each inlined subroutine's enclosing function;
 * - the first name is the DWARF name when it counts as a linkage name, else the symbol table's
 *   (bfd's _bfd_elf_find_function), else the DWARF name; when no DWARF function covers the
 *   address, the symbol table's alone; a missing name prints as `??`.
 */
import type { ElfSections } from '../../symbols/elf/types.js';
import { dwarfIndex, functionsOf, type DwarfIndex, type IndexedUnit } from './dwarf-index.js';
import type { FuncInfo } from './functions.js';
import { symtabFunction } from './symtab-function.js';

const SHF_ALLOC = 2n;

export function addr2lineFunctions(elf: ElfSections, vaddr: bigint): string[] | undefined {
  if (!elf.section('.debug_line')) return undefined;
  const shndx = elf.sections.findIndex(
    (s) => (s.flags & SHF_ALLOC) !== 0n && vaddr >= s.addr && vaddr < s.addr + BigInt(s.size),
  );
  if (shndx <= 0) return undefined;
  let idx: DwarfIndex | undefined;
  try {
    idx = dwarfIndex(elf);
  } catch {
    idx = undefined;
  }
  const best = idx ? innermostFunction(idx, vaddr) : undefined;
  if (!best) {
    const name = symtabFunction(elf, shndx, vaddr);
    return name === undefined ? undefined : [name || '??'];
  }
  let first = best.name;
  if (!best.isLinkage) first = symtabFunction(elf, shndx, vaddr) ?? best.name;
  const names = [first || '??'];
  for (let f = best; f.tag === 0x1d && f.caller && names.length < 1024; f = f.caller)
    names.push(f.caller.name || '??');
  return names;
}

function innermostFunction(idx: DwarfIndex, vaddr: bigint): FuncInfo | undefined {
  const holds = (u: IndexedUnit) => u.ranges.some((r) => vaddr >= r.low && vaddr < r.high);
  const candidates = [
    ...idx.units.filter(holds),
    ...idx.units.filter((u) => u.ranges.length === 0),
  ];
  for (const u of candidates) {
    const funcs = functionsOf(idx, u);
    if (!funcs) continue;
    let best: FuncInfo | undefined;
    let bestLen = 0n;
    for (const f of funcs) {
      for (const r of f.ranges) {
        if (vaddr < r.low || vaddr >= r.high) continue;
        const len = r.high - r.low;
        if (!best || len < bestLen || (len === bestLen && f.order > best.order)) {
          best = f;
          bestLen = len;
        }
      }
    }
    if (best) return best;
  }
  return undefined;
}
