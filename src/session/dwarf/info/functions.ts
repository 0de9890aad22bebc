/**
 * A unit's functions as binutils 2.40 collects them for addr2line (bfd/dwarf2.c
 * scan_unit_for_symbols, find_abstract_instance): every DW_TAG_subprogram,
 * DW_TAG_inlined_subroutine and DW_TAG_entry_point with its ranges and name, and for inlined
 * subroutines the nearest enclosing function DIE (lexical blocks skipped) as the caller.
 *
 * Names: DW_AT_linkage_name / DW_AT_MIPS_linkage_name win over DW_AT_name; DW_AT_abstract_origin
 * and DW_AT_specification take the referenced DIE's name (following its DW_AT_specification,
 * not its abstract origin), overwriting a name read before them. A DW_AT_name counts as a
 * linkage name when the unit's language has no mangling (C, Fortran 77, ...).
 */
import { SectionCursor } from '../section-cursor.js';
import * as F from './constants.js';
import { unitAt, type DwarfIndex } from './dwarf-index.js';
import type { Range } from './ranges.js';
import { rangesOf } from './ranges.js';
import {
  abbrevTableOf,
  attrAddress,
  attrString,
  attrUint,
  readAttr,
  type AttrValue,
  type Unit,
} from './units.js';

export interface FuncInfo {
  /** Position in DIE order (binutils prefers the later of two equally small ranges). */
  order: number;
  tag: number;
  ranges: Range[];
  name: string | undefined;
  isLinkage: boolean;
  caller: FuncInfo | undefined;
}

/** binutils' limit on DW_AT_specification chains. */
const MAX_RECURSION = 100;
/** Nesting beyond this is corrupt. */
const MAX_DEPTH = 10_000;

interface NameState {
  name: string | undefined;
  isLinkage: boolean;
}

const plainNames = (unit: Unit) => F.PLAIN_NAME_LANGUAGES.has(unit.language);

export function scanFunctions(idx: DwarfIndex, unit: Unit): FuncInfo[] {
  const { sections } = idx;
  const abbrevs = abbrevTableOf(sections, unit);
  const c = new SectionCursor('.debug_info', sections.info, true, unit.dieOffset, unit.end);
  const funcs: FuncInfo[] = [];
  // Skip the unit DIE itself; its children are nesting level 0.
  const unitCode = c.ulebNumber('abbreviation code');
  const unitAbbrev = abbrevs.get(unitCode);
  if (!unitAbbrev) return c.fail('abbreviation code', `no abbreviation ${unitCode}`);
  for (const spec of unitAbbrev.attrs) readAttr(c, spec, unit, sections);
  if (!unitAbbrev.hasChildren) return funcs;

  const nested: (FuncInfo | undefined)[] = [undefined];
  let level = 0;
  while (level >= 0 && c.pos < unit.end) {
    const at = c.pos;
    const code = c.ulebNumber('abbreviation code');
    if (code === 0) {
      level--;
      continue;
    }
    const abbrev = abbrevs.get(code);
    if (!abbrev) return c.fail('abbreviation code', `no abbreviation ${code}`, at);
    const isFunc =
      abbrev.tag === F.DW_TAG_subprogram ||
      abbrev.tag === F.DW_TAG_inlined_subroutine ||
      abbrev.tag === F.DW_TAG_entry_point;
    if (!isFunc) {
      for (const spec of abbrev.attrs) readAttr(c, spec, unit, sections);
      nested[level] = undefined;
    } else {
      const func: FuncInfo = {
        order: funcs.length,
        tag: abbrev.tag,
        ranges: [],
        name: undefined,
        isLinkage: false,
        caller: undefined,
      };
      if (abbrev.tag === F.DW_TAG_inlined_subroutine) {
        for (let i = level - 1; i >= 0; i--) {
          const f = nested[i];
          if (f) {
            func.caller = f;
            break;
          }
        }
      }
      nested[level] = func;
      funcs.push(func);
      let low: bigint | undefined;
      let high: bigint | undefined;
      let highRelative = false;
      const names: NameState = { name: undefined, isLinkage: false };
      for (const spec of abbrev.attrs) {
        const v = readAttr(c, spec, unit, sections);
        switch (spec.name) {
          case F.DW_AT_abstract_origin:
          case F.DW_AT_specification:
            if (v.kind === 'ref') names.name = abstractName(idx, v.offset, 0, names);
            break;
          case F.DW_AT_name:
            if (names.name === undefined && isStr(v)) {
              names.name = attrString(v, unit, sections);
              if (plainNames(unit)) names.isLinkage = true;
            }
            break;
          case F.DW_AT_linkage_name:
          case F.DW_AT_MIPS_linkage_name:
            if (isStr(v)) {
              names.name = attrString(v, unit, sections);
              names.isLinkage = true;
            }
            break;
          case F.DW_AT_low_pc:
            low = attrAddress(v, unit, sections) ?? attrUint(v);
            break;
          case F.DW_AT_high_pc:
            high = attrAddress(v, unit, sections) ?? attrUint(v);
            highRelative = spec.form !== F.DW_FORM_addr;
            break;
          case F.DW_AT_ranges:
            func.ranges.push(...rangesOf(v, unit, sections));
            break;
        }
      }
      func.name = names.name;
      func.isLinkage = names.isLinkage;
      if (high !== undefined && high !== 0n) {
        const lo = low ?? 0n;
        const hi = highRelative ? lo + high : high;
        if (hi > lo) func.ranges.push({ low: lo, high: hi });
      }
    }
    if (abbrev.hasChildren) {
      level++;
      if (level > MAX_DEPTH) return c.fail('DIE nesting', `deeper than ${MAX_DEPTH}`, at);
      nested[level] = undefined;
    }
  }
  return funcs;
}

function isStr(v: AttrValue): boolean {
  return v.kind === 'str' || v.kind === 'strx';
}

/**
 * find_abstract_instance: the name of the DIE at `offset`, preferring its linkage name, following
 * DW_AT_specification; sets `state.isLinkage` as binutils does. Throws past MAX_RECURSION.
 */
function abstractName(
  idx: DwarfIndex,
  offset: number,
  depth: number,
  state: NameState,
): string | undefined {
  if (depth >= MAX_RECURSION) throw new Error('DWARF error: abstract instance recursion detected');
  const unit = unitAt(idx, offset);
  if (!unit) return undefined;
  const { sections } = idx;
  const c = new SectionCursor('.debug_info', sections.info, true, offset, unit.end);
  const code = c.ulebNumber('abbreviation code');
  if (code === 0) return undefined;
  const abbrev = abbrevTableOf(sections, unit).get(code);
  if (!abbrev) return c.fail('abbreviation code', `no abbreviation ${code}`, offset);
  let name: string | undefined;
  for (const spec of abbrev.attrs) {
    const v = readAttr(c, spec, unit, sections);
    switch (spec.name) {
      case F.DW_AT_name:
        if (name === undefined && isStr(v)) {
          name = attrString(v, unit, sections);
          if (plainNames(unit)) state.isLinkage = true;
        }
        break;
      case F.DW_AT_specification:
        if (v.kind === 'ref') name = abstractName(idx, v.offset, depth + 1, state);
        break;
      case F.DW_AT_linkage_name:
      case F.DW_AT_MIPS_linkage_name:
        if (isStr(v)) {
          name = attrString(v, unit, sections);
          state.isLinkage = true;
        }
        break;
    }
  }
  return name;
}
