/**
 * .debug_abbrev tables (DWARF 5 section 7.5.3): per entry, code uleb | tag uleb |
 * has_children u8 | (attribute uleb, form uleb [, implicit_const sleb])* | 0, 0. A table ends
 * with code 0.
 */
import { SectionCursor } from '../section-cursor.js';
import { DW_FORM_implicit_const } from './constants.js';

export interface AttrSpec {
  name: number;
  form: number;
  implicitConst: bigint;
}

export interface Abbrev {
  tag: number;
  hasChildren: boolean;
  attrs: AttrSpec[];
}

export type AbbrevTable = Map<number, Abbrev>;

/** Parses the table at `offset` (entries beyond the section end fail with section and offset). */
export function parseAbbrevTable(bytes: Uint8Array, offset: number): AbbrevTable {
  const c = new SectionCursor('.debug_abbrev', bytes, true, offset);
  const table: AbbrevTable = new Map();
  for (;;) {
    const code = c.ulebNumber('abbreviation code');
    if (code === 0) return table;
    const tag = c.ulebNumber('abbreviation tag');
    const hasChildren = c.u8('DW_CHILDREN') !== 0;
    const attrs: AttrSpec[] = [];
    for (;;) {
      const name = c.ulebNumber('attribute name');
      const form = c.ulebNumber('attribute form');
      if (name === 0 && form === 0) break;
      const implicitConst =
        form === DW_FORM_implicit_const ? c.sleb('DW_FORM_implicit_const value') : 0n;
      attrs.push({ name, form, implicitConst });
    }
    if (!table.has(code)) table.set(code, { tag, hasChildren, attrs });
  }
}
