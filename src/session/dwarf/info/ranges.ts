/**
 * Address ranges of a DIE: DW_AT_low_pc/DW_AT_high_pc (high_pc is an offset from low_pc unless
 * its form is DW_FORM_addr, as binutils reads it) or DW_AT_ranges:
 * - DWARF 2-4 .debug_ranges: (begin, end) address-sized pairs relative to the base address (the
 *   CU's low_pc), (0, 0) ends the list, (max address, a) sets the base to a;
 * - DWARF 5 .debug_rnglists: DW_RLE_* entries; DW_FORM_rnglistx indexes the offset table at
 *   DW_AT_rnglists_base.
 * Empty ranges are dropped.
 */
import { SectionCursor } from '../section-cursor.js';
import * as F from './constants.js';
import type { DebugSections } from './debug-sections-set.js';
import { addrIndex, type AttrValue, type Unit } from './units.js';

export interface Range {
  low: bigint;
  high: bigint;
}

/** Entries per list beyond this mean a corrupt section. */
const MAX_LIST_ENTRIES = 1_000_000;

export function rangesOf(v: AttrValue, unit: Unit, sections: DebugSections): Range[] {
  if (unit.version >= 5) {
    let offset: bigint | undefined;
    if (v.kind === 'rnglistx') offset = rnglistxOffset(v.index, unit, sections);
    else if (v.kind === 'secOffset' || v.kind === 'uint') offset = v.value;
    return offset === undefined ? [] : readRnglist(offset, unit, sections);
  }
  if (v.kind !== 'secOffset' && v.kind !== 'uint') return [];
  return readRanges(v.value, unit, sections);
}

function rnglistxOffset(index: bigint, unit: Unit, sections: DebugSections): bigint | undefined {
  const tab = sections.rnglists;
  const base = unit.rnglistsBase ?? BigInt(unit.offsetSize === 8 ? 20 : 12);
  const at = base + index * BigInt(unit.offsetSize);
  if (!tab || at + BigInt(unit.offsetSize) > BigInt(tab.length)) return undefined;
  const c = new SectionCursor('.debug_rnglists', tab, true, Number(at));
  return (
    base + (unit.offsetSize === 8 ? c.u64('rnglists offset') : BigInt(c.u32('rnglists offset')))
  );
}

function readRnglist(offset: bigint, unit: Unit, sections: DebugSections): Range[] {
  const tab = sections.rnglists;
  if (!tab || offset >= BigInt(tab.length)) return [];
  const c = new SectionCursor('.debug_rnglists', tab, true, Number(offset));
  const out: Range[] = [];
  let base = unit.baseAddress;
  const addrx = (i: bigint) => addrIndex(i, unit, sections) ?? 0n;
  const add = (low: bigint, high: bigint) => {
    if (high > low) out.push({ low, high });
  };
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const kind = c.u8('DW_RLE kind');
    switch (kind) {
      case F.DW_RLE_end_of_list:
        return out;
      case F.DW_RLE_base_addressx:
        base = addrx(c.uleb('DW_RLE_base_addressx'));
        break;
      case F.DW_RLE_startx_endx: {
        const lo = addrx(c.uleb('DW_RLE_startx_endx start'));
        add(lo, addrx(c.uleb('DW_RLE_startx_endx end')));
        break;
      }
      case F.DW_RLE_startx_length: {
        const lo = addrx(c.uleb('DW_RLE_startx_length start'));
        add(lo, lo + c.uleb('DW_RLE_startx_length length'));
        break;
      }
      case F.DW_RLE_offset_pair: {
        const lo = c.uleb('DW_RLE_offset_pair start');
        add(base + lo, base + c.uleb('DW_RLE_offset_pair end'));
        break;
      }
      case F.DW_RLE_base_address:
        base = c.uN(unit.addrSize, 'DW_RLE_base_address');
        break;
      case F.DW_RLE_start_end: {
        const lo = c.uN(unit.addrSize, 'DW_RLE_start_end start');
        add(lo, c.uN(unit.addrSize, 'DW_RLE_start_end end'));
        break;
      }
      case F.DW_RLE_start_length: {
        const lo = c.uN(unit.addrSize, 'DW_RLE_start_length start');
        add(lo, lo + c.uleb('DW_RLE_start_length length'));
        break;
      }
      default:
        c.fail('DW_RLE kind', `unknown range list entry ${kind}`, c.pos - 1);
    }
  }
  return out;
}

function readRanges(offset: bigint, unit: Unit, sections: DebugSections): Range[] {
  const tab = sections.ranges;
  if (!tab || offset >= BigInt(tab.length)) return [];
  const c = new SectionCursor('.debug_ranges', tab, true, Number(offset));
  const max = unit.addrSize === 8 ? 0xffffffffffffffffn : 0xffffffffn;
  const out: Range[] = [];
  let base = unit.baseAddress;
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const lo = c.uN(unit.addrSize, 'range begin');
    const hi = c.uN(unit.addrSize, 'range end');
    if (lo === 0n && hi === 0n) break;
    if (lo === max) {
      base = hi;
      continue;
    }
    if (hi > lo) out.push({ low: base + lo, high: base + hi });
  }
  return out;
}
