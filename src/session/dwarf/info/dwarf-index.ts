/**
 * The lazily built view of a file's .debug_info that addr2line needs: first every unit header
 * and its unit DIE (ranges, bases, language), then a unit's function table only when an address
 * falls in it. Cached per ElfSections.
 */
import type { ElfSections } from '../../symbols/elf/types.js';
import { SectionCursor } from '../section-cursor.js';
import * as F from './constants.js';
import { debugSections, type DebugSections } from './debug-sections-set.js';
import { rangesOf, type Range } from './ranges.js';
import {
  abbrevTableOf,
  attrAddress,
  attrUint,
  parseUnitHeader,
  readAttr,
  type AttrValue,
  type Unit,
} from './units.js';
import { scanFunctions, type FuncInfo } from './functions.js';

export interface IndexedUnit {
  unit: Unit;
  ranges: Range[];
  functions?: FuncInfo[] | null;
}

export interface DwarfIndex {
  sections: DebugSections;
  units: IndexedUnit[];
}

/** More units than this means a corrupt .debug_info (each needs at least 11 bytes anyway). */
const MAX_UNITS = 10_000_000;

const indexes = new WeakMap<ElfSections, DwarfIndex | null>();

export function dwarfIndex(elf: ElfSections): DwarfIndex | undefined {
  let idx = indexes.get(elf);
  if (idx === undefined) {
    const sections = debugSections(elf);
    idx = sections ? buildIndex(sections) : null;
    indexes.set(elf, idx);
  }
  return idx ?? undefined;
}

function buildIndex(sections: DebugSections): DwarfIndex {
  const units: IndexedUnit[] = [];
  let offset = 0;
  while (offset < sections.info.length && units.length < MAX_UNITS) {
    let unit: Unit;
    try {
      unit = parseUnitHeader(sections.info, offset);
    } catch {
      break; // a corrupt header: binutils stops reading units there too
    }
    let ranges: Range[] = [];
    try {
      ranges = readUnitDie(unit, sections);
    } catch {
      ranges = [];
    }
    units.push({ unit, ranges });
    offset = unit.end;
  }
  return { sections, units };
}

/** Reads the unit DIE: bases, language, base address, and the unit's address ranges. */
function readUnitDie(unit: Unit, sections: DebugSections): Range[] {
  const c = new SectionCursor('.debug_info', sections.info, true, unit.dieOffset, unit.end);
  const code = c.ulebNumber('abbreviation code');
  if (code === 0) return [];
  const abbrev = abbrevTableOf(sections, unit).get(code);
  if (!abbrev)
    return c.fail(
      'abbreviation code',
      `no abbreviation ${code} in the table at 0x${unit.abbrevOffset.toString(16)}`,
    );
  const values = new Map<number, AttrValue>();
  for (const spec of abbrev.attrs) values.set(spec.name, readAttr(c, spec, unit, sections));
  const base = (n: number) => {
    const v = values.get(n);
    return v ? attrUint(v) : undefined;
  };
  unit.strOffsetsBase = base(F.DW_AT_str_offsets_base);
  unit.addrBase = base(F.DW_AT_addr_base) ?? base(F.DW_AT_GNU_addr_base);
  unit.rnglistsBase = base(F.DW_AT_rnglists_base);
  unit.language = Number(base(F.DW_AT_language) ?? 0n);
  const lowV = values.get(F.DW_AT_low_pc);
  const low = lowV ? attrAddress(lowV, unit, sections) : undefined;
  if (low !== undefined) unit.baseAddress = low;
  const out: Range[] = [];
  const highV = values.get(F.DW_AT_high_pc);
  if (low !== undefined && highV) {
    const high = highV.kind === 'addr' ? highV.value : attrUint(highV);
    if (high !== undefined && high !== 0n) {
      const end = highV.kind === 'addr' ? high : low + high;
      if (end > low) out.push({ low, high: end });
    }
  }
  const rangesV = values.get(F.DW_AT_ranges);
  if (rangesV) out.push(...rangesOf(rangesV, unit, sections));
  return out;
}

/** The function table of a unit (built on first use; null when the unit cannot be read). */
export function functionsOf(idx: DwarfIndex, u: IndexedUnit): FuncInfo[] | null {
  if (u.functions === undefined) {
    try {
      u.functions = scanFunctions(idx, u.unit);
    } catch {
      u.functions = null;
    }
  }
  return u.functions;
}

/** The unit holding a .debug_info offset (for references into other units). */
export function unitAt(idx: DwarfIndex, offset: number): Unit | undefined {
  let lo = 0;
  let hi = idx.units.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offset < idx.units[mid]!.unit.offset) hi = mid;
    else lo = mid + 1;
  }
  const u = idx.units[hi - 1]?.unit;
  return u && offset >= u.dieOffset && offset < u.end ? u : undefined;
}
