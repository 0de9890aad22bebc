/**
 * Unit headers of .debug_info (DWARF 2-5, section 7.5.1) and attribute values.
 *
 *   unit_length u32 (0xffffffff: u64 follows, 64-bit DWARF) | version u16 |
 *   v5: unit_type u8, address_size u8, debug_abbrev_offset (4/8)
 *       [+ dwo_id u64 for skeleton/split_compile, + type_signature u64 and type_offset for types]
 *   v2-4: debug_abbrev_offset (4/8), address_size u8
 */
import { SectionCursor, stringAt } from '../section-cursor.js';
import { parseAbbrevTable, type AbbrevTable, type AttrSpec } from './abbrev.js';
import * as F from './constants.js';
import type { DebugSections } from './debug-sections-set.js';

export interface Unit {
  /** Offset of the unit header in .debug_info. */
  offset: number;
  /** Offset of the first DIE. */
  dieOffset: number;
  /** Exclusive end of the unit. */
  end: number;
  version: number;
  addrSize: number;
  offsetSize: 4 | 8;
  abbrevOffset: number;
  /** From the unit DIE (filled by the index). */
  strOffsetsBase: bigint | undefined;
  addrBase: bigint | undefined;
  rnglistsBase: bigint | undefined;
  language: number;
  /** CU low_pc: the base of DWARF 2-4 range lists and offset pairs. */
  baseAddress: bigint;
}

/** An attribute value, resolved as far as the unit header allows. */
export type AttrValue =
  | { kind: 'uint'; value: bigint }
  | { kind: 'sint'; value: bigint }
  | { kind: 'addr'; value: bigint }
  | { kind: 'addrx'; index: bigint }
  | { kind: 'str'; value: string | undefined }
  | { kind: 'strx'; index: bigint }
  /** An absolute .debug_info offset. */
  | { kind: 'ref'; offset: number }
  | { kind: 'secOffset'; value: bigint }
  | { kind: 'rnglistx'; index: bigint }
  | { kind: 'other' };

export function parseUnitHeader(info: Uint8Array, offset: number): Unit {
  const c = new SectionCursor('.debug_info', info, true, offset);
  let length = c.u32('unit_length');
  let offsetSize: 4 | 8 = 4;
  let lengthEnd: number;
  if (length === 0xffffffff) {
    offsetSize = 8;
    const big = c.u64('unit_length (64-bit)');
    if (big > BigInt(info.length))
      c.fail('unit_length', `0x${big.toString(16)} exceeds the section`);
    length = Number(big);
  } else if (length >= 0xfffffff0) {
    c.fail('unit_length', `reserved value 0x${length.toString(16)}`, offset);
  }
  lengthEnd = c.pos + length;
  if (lengthEnd > info.length)
    c.fail('unit_length', `unit ends at 0x${lengthEnd.toString(16)}, past the section`, offset);
  const version = c.u16('version');
  let addrSize: number;
  let abbrevOffset: bigint;
  if (version >= 5) {
    if (version > 5) c.fail('version', `unsupported DWARF version ${version}`, c.pos - 2);
    const unitType = c.u8('unit_type');
    addrSize = c.u8('address_size');
    abbrevOffset =
      offsetSize === 8 ? c.u64('debug_abbrev_offset') : BigInt(c.u32('debug_abbrev_offset'));
    if (unitType === 4 || unitType === 5) c.skip(8, 'dwo_id');
    else if (unitType === 2 || unitType === 6)
      c.skip(8 + offsetSize, 'type_signature, type_offset');
  } else {
    if (version < 2) c.fail('version', `unsupported DWARF version ${version}`, c.pos - 2);
    abbrevOffset =
      offsetSize === 8 ? c.u64('debug_abbrev_offset') : BigInt(c.u32('debug_abbrev_offset'));
    addrSize = c.u8('address_size');
  }
  if (addrSize !== 4 && addrSize !== 8)
    c.fail('address_size', `unsupported address size ${addrSize}`, c.pos - 1);
  lengthEnd = Math.min(lengthEnd, info.length);
  return {
    offset,
    dieOffset: c.pos,
    end: lengthEnd,
    version,
    addrSize,
    offsetSize,
    abbrevOffset: Number(abbrevOffset),
    strOffsetsBase: undefined,
    addrBase: undefined,
    rnglistsBase: undefined,
    language: 0,
    baseAddress: 0n,
  };
}

const abbrevCache = new WeakMap<Uint8Array, Map<number, AbbrevTable>>();

export function abbrevTableOf(sections: DebugSections, unit: Unit): AbbrevTable {
  const bytes = sections.abbrev;
  let perSection = abbrevCache.get(bytes);
  if (!perSection) {
    perSection = new Map();
    abbrevCache.set(bytes, perSection);
  }
  let t = perSection.get(unit.abbrevOffset);
  if (!t) {
    t = parseAbbrevTable(bytes, unit.abbrevOffset);
    perSection.set(unit.abbrevOffset, t);
  }
  return t;
}

/** Reads one attribute value (DW_FORM_indirect resolved). */
export function readAttr(
  c: SectionCursor,
  spec: AttrSpec,
  unit: Unit,
  sections: DebugSections,
): AttrValue {
  let form = spec.form;
  for (let n = 0; form === F.DW_FORM_indirect; n++) {
    if (n > 8) c.fail('DW_FORM_indirect', 'indirect form chain');
    form = c.ulebNumber('DW_FORM_indirect');
  }
  const off = () => (unit.offsetSize === 8 ? c.u64('offset') : BigInt(c.u32('offset')));
  switch (form) {
    case F.DW_FORM_addr:
      return { kind: 'addr', value: c.uN(unit.addrSize, 'DW_FORM_addr') };
    case F.DW_FORM_data1:
      return { kind: 'uint', value: BigInt(c.u8('DW_FORM_data1')) };
    case F.DW_FORM_data2:
      return { kind: 'uint', value: BigInt(c.u16('DW_FORM_data2')) };
    case F.DW_FORM_data4:
      return { kind: 'uint', value: BigInt(c.u32('DW_FORM_data4')) };
    case F.DW_FORM_data8:
      return { kind: 'uint', value: c.u64('DW_FORM_data8') };
    case F.DW_FORM_data16:
      c.skip(16, 'DW_FORM_data16');
      return { kind: 'other' };
    case F.DW_FORM_sdata:
      return { kind: 'sint', value: c.sleb('DW_FORM_sdata') };
    case F.DW_FORM_udata:
      return { kind: 'uint', value: c.uleb('DW_FORM_udata') };
    case F.DW_FORM_implicit_const:
      return { kind: 'sint', value: spec.implicitConst };
    case F.DW_FORM_flag:
      return { kind: 'uint', value: BigInt(c.u8('DW_FORM_flag')) };
    case F.DW_FORM_flag_present:
      return { kind: 'uint', value: 1n };
    case F.DW_FORM_string:
      return { kind: 'str', value: c.cstr('DW_FORM_string') };
    case F.DW_FORM_strp:
      return { kind: 'str', value: strAt(sections.str, off()) };
    case F.DW_FORM_line_strp:
      return { kind: 'str', value: strAt(sections.lineStr, off()) };
    case F.DW_FORM_strp_sup:
    case F.DW_FORM_GNU_strp_alt:
      off();
      return { kind: 'str', value: undefined };
    case F.DW_FORM_strx:
    case F.DW_FORM_GNU_str_index:
      return { kind: 'strx', index: c.uleb('DW_FORM_strx') };
    case F.DW_FORM_strx1:
      return { kind: 'strx', index: BigInt(c.u8('DW_FORM_strx1')) };
    case F.DW_FORM_strx2:
      return { kind: 'strx', index: BigInt(c.u16('DW_FORM_strx2')) };
    case F.DW_FORM_strx3:
      return { kind: 'strx', index: BigInt(c.u24('DW_FORM_strx3')) };
    case F.DW_FORM_strx4:
      return { kind: 'strx', index: BigInt(c.u32('DW_FORM_strx4')) };
    case F.DW_FORM_addrx:
    case F.DW_FORM_GNU_addr_index:
      return { kind: 'addrx', index: c.uleb('DW_FORM_addrx') };
    case F.DW_FORM_addrx1:
      return { kind: 'addrx', index: BigInt(c.u8('DW_FORM_addrx1')) };
    case F.DW_FORM_addrx2:
      return { kind: 'addrx', index: BigInt(c.u16('DW_FORM_addrx2')) };
    case F.DW_FORM_addrx3:
      return { kind: 'addrx', index: BigInt(c.u24('DW_FORM_addrx3')) };
    case F.DW_FORM_addrx4:
      return { kind: 'addrx', index: BigInt(c.u32('DW_FORM_addrx4')) };
    case F.DW_FORM_ref1:
      return ref(unit, BigInt(c.u8('DW_FORM_ref1')));
    case F.DW_FORM_ref2:
      return ref(unit, BigInt(c.u16('DW_FORM_ref2')));
    case F.DW_FORM_ref4:
      return ref(unit, BigInt(c.u32('DW_FORM_ref4')));
    case F.DW_FORM_ref8:
      return ref(unit, c.u64('DW_FORM_ref8'));
    case F.DW_FORM_ref_udata:
      return ref(unit, c.uleb('DW_FORM_ref_udata'));
    case F.DW_FORM_ref_addr: {
      // DWARF 2 stores it address-sized, later versions offset-sized.
      const v = unit.version <= 2 ? c.uN(unit.addrSize, 'DW_FORM_ref_addr') : off();
      return v > BigInt(Number.MAX_SAFE_INTEGER)
        ? { kind: 'other' }
        : { kind: 'ref', offset: Number(v) };
    }
    case F.DW_FORM_ref_sig8:
      c.skip(8, 'DW_FORM_ref_sig8');
      return { kind: 'other' };
    case F.DW_FORM_ref_sup4:
      c.skip(4, 'DW_FORM_ref_sup4');
      return { kind: 'other' };
    case F.DW_FORM_ref_sup8:
      c.skip(8, 'DW_FORM_ref_sup8');
      return { kind: 'other' };
    case F.DW_FORM_GNU_ref_alt:
      off();
      return { kind: 'other' };
    case F.DW_FORM_sec_offset:
      return { kind: 'secOffset', value: off() };
    case F.DW_FORM_rnglistx:
      return { kind: 'rnglistx', index: c.uleb('DW_FORM_rnglistx') };
    case F.DW_FORM_loclistx:
      c.uleb('DW_FORM_loclistx');
      return { kind: 'other' };
    case F.DW_FORM_block1:
      c.skip(c.u8('DW_FORM_block1 length'), 'DW_FORM_block1');
      return { kind: 'other' };
    case F.DW_FORM_block2:
      c.skip(c.u16('DW_FORM_block2 length'), 'DW_FORM_block2');
      return { kind: 'other' };
    case F.DW_FORM_block4:
      c.skip(c.u32('DW_FORM_block4 length'), 'DW_FORM_block4');
      return { kind: 'other' };
    case F.DW_FORM_block:
    case F.DW_FORM_exprloc:
      c.skip(c.ulebNumber('block length'), 'DW_FORM_block');
      return { kind: 'other' };
    default:
      return c.fail('attribute form', `unknown DW_FORM 0x${form.toString(16)}`);
  }
}

function ref(unit: Unit, rel: bigint): AttrValue {
  if (rel > BigInt(Number.MAX_SAFE_INTEGER)) return { kind: 'other' };
  return { kind: 'ref', offset: unit.offset + Number(rel) };
}

function strAt(bytes: Uint8Array | undefined, offset: bigint): string | undefined {
  if (!bytes || offset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return stringAt(bytes, Number(offset));
}

/** A string attribute's text, strx resolved through .debug_str_offsets. */
export function attrString(v: AttrValue, unit: Unit, sections: DebugSections): string | undefined {
  if (v.kind === 'str') return v.value;
  if (v.kind !== 'strx') return undefined;
  const tab = sections.strOffsets;
  // DWARF 5 default when DW_AT_str_offsets_base is missing: just after the 8/16-byte header.
  const base = unit.strOffsetsBase ?? BigInt(unit.offsetSize === 8 ? 16 : 8);
  const at = base + v.index * BigInt(unit.offsetSize);
  if (!tab || at + BigInt(unit.offsetSize) > BigInt(tab.length)) return undefined;
  const c = new SectionCursor('.debug_str_offsets', tab, true, Number(at));
  const off = unit.offsetSize === 8 ? c.u64('string offset') : BigInt(c.u32('string offset'));
  return strAt(sections.str, off);
}

/** An address attribute, addrx resolved through .debug_addr. */
export function attrAddress(v: AttrValue, unit: Unit, sections: DebugSections): bigint | undefined {
  if (v.kind === 'addr') return v.value;
  if (v.kind === 'addrx') return addrIndex(v.index, unit, sections);
  return undefined;
}

export function addrIndex(index: bigint, unit: Unit, sections: DebugSections): bigint | undefined {
  const tab = sections.addr;
  const base = unit.addrBase ?? 8n;
  const at = base + index * BigInt(unit.addrSize);
  if (!tab || at + BigInt(unit.addrSize) > BigInt(tab.length)) return undefined;
  return new SectionCursor('.debug_addr', tab, true, Number(at)).uN(unit.addrSize, 'address');
}

/** An unsigned constant attribute. */
export function attrUint(v: AttrValue): bigint | undefined {
  if (v.kind === 'uint' || v.kind === 'sint' || v.kind === 'secOffset') return v.value;
  return undefined;
}
