/**
 * Test helper: writes small ELF images (32/64-bit, either byte order) with
 * chosen sections, program headers and symbols, to test symbol rules on
 * inputs no compiler here can produce.
 */

export interface BuildSection {
  name: string;
  type: number;
  flags?: bigint;
  addr?: bigint;
  data?: Uint8Array;
  /** sh_size for SHT_NOBITS sections (no file data). */
  size?: number;
  /** Section index, or the name of a section. */
  link?: number | string;
  entsize?: number;
}

export interface BuildSymbol {
  name: string;
  value: bigint;
  size: bigint;
  type: number;
  bind: number;
  /** Section index (SHN_ABS = 0xfff1 etc.) or section name. */
  shndx: number | string;
  other?: number;
}

export interface BuildPhdr {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
}

export interface BuildElf {
  is64: boolean;
  littleEndian: boolean;
  type: number;
  machine: number;
  sections: BuildSection[];
  symtab?: BuildSymbol[];
  dynsym?: BuildSymbol[];
  phdrs?: BuildPhdr[];
}

class Writer {
  private bytes: number[] = [];
  constructor(
    private readonly le: boolean,
    private readonly is64: boolean,
  ) {}
  get length(): number {
    return this.bytes.length;
  }
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    if (this.le) this.bytes.push(v & 0xff, (v >> 8) & 0xff);
    else this.bytes.push((v >> 8) & 0xff, v & 0xff);
  }
  u32(v: number): void {
    const b = [(v >>> 0) & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.bytes.push(...(this.le ? b : b.reverse()));
  }
  u64(v: bigint): void {
    const lo = Number(v & 0xffff_ffffn);
    const hi = Number((v >> 32n) & 0xffff_ffffn);
    if (this.le) {
      this.u32(lo);
      this.u32(hi);
    } else {
      this.u32(hi);
      this.u32(lo);
    }
  }
  word(v: bigint): void {
    if (this.is64) this.u64(v);
    else this.u32(Number(v));
  }
  raw(d: Uint8Array): void {
    for (const b of d) this.bytes.push(b);
  }
  pad(align: number): void {
    while (this.bytes.length % align) this.bytes.push(0);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function strtab(names: string[]): { data: Uint8Array; offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  const parts: number[] = [0];
  for (const n of names) {
    if (offsets.has(n)) continue;
    offsets.set(n, parts.length);
    parts.push(...Buffer.from(n, 'utf8'), 0);
  }
  return { data: Uint8Array.from(parts), offsets };
}

export function buildElf(spec: BuildElf): Uint8Array {
  const { is64, littleEndian: le } = spec;
  const sections: BuildSection[] = [{ name: '', type: 0 }, ...spec.sections];
  const indexOf = (n: number | string): number => {
    if (typeof n === 'number') return n;
    const i = sections.findIndex((s) => s.name === n);
    if (i < 0) throw new Error(`no section ${n}`);
    return i;
  };
  const addSymbols = (
    syms: BuildSymbol[],
    tabName: string,
    strName: string,
    shType: number,
  ): void => {
    const strs = strtab(syms.map((s) => s.name));
    sections.push({ name: strName, type: 3, data: strs.data });
    const w = new Writer(le, is64);
    const all: BuildSymbol[] = [
      { name: '', value: 0n, size: 0n, type: 0, bind: 0, shndx: 0 },
      ...syms,
    ];
    for (const s of all) {
      const nameOff = s.name ? strs.offsets.get(s.name)! : 0;
      const info = (s.bind << 4) | s.type;
      const shndx = indexOf(s.shndx);
      if (is64) {
        w.u32(nameOff);
        w.u8(info);
        w.u8(s.other ?? 0);
        w.u16(shndx);
        w.u64(s.value);
        w.u64(s.size);
      } else {
        w.u32(nameOff);
        w.u32(Number(s.value));
        w.u32(Number(s.size));
        w.u8(info);
        w.u8(s.other ?? 0);
        w.u16(shndx);
      }
    }
    sections.push({
      name: tabName,
      type: shType,
      data: w.done(),
      link: strName,
      entsize: is64 ? 24 : 16,
    });
  };
  if (spec.symtab) addSymbols(spec.symtab, '.symtab', '.strtab', 2);
  if (spec.dynsym) addSymbols(spec.dynsym, '.dynsym', '.dynstr', 11);
  const shstr = strtab([...sections.map((s) => s.name), '.shstrtab']);
  sections.push({ name: '.shstrtab', type: 3, data: shstr.data });

  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const phdrs = spec.phdrs ?? [];
  const body = new Writer(le, is64);
  const dataOffsets: number[] = [];
  let cursor = ehsize + phdrs.length * phentsize;
  for (const s of sections) {
    while (cursor % 8) {
      body.u8(0);
      cursor++;
    }
    dataOffsets.push(cursor);
    if (s.data && s.type !== 8) {
      body.raw(s.data);
      cursor += s.data.length;
    }
  }
  while (cursor % 8) {
    body.u8(0);
    cursor++;
  }
  const shoff = cursor;

  const w = new Writer(le, is64);
  w.raw(
    Uint8Array.from([
      0x7f,
      0x45,
      0x4c,
      0x46,
      is64 ? 2 : 1,
      le ? 1 : 2,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]),
  );
  w.u16(spec.type);
  w.u16(spec.machine);
  w.u32(1);
  w.word(0n); // e_entry
  w.word(phdrs.length ? BigInt(ehsize) : 0n);
  w.word(BigInt(shoff));
  w.u32(0);
  w.u16(ehsize);
  w.u16(phentsize);
  w.u16(phdrs.length);
  w.u16(shentsize);
  w.u16(sections.length);
  w.u16(sections.length - 1);
  for (const p of phdrs) {
    if (is64) {
      w.u32(p.type);
      w.u32(p.flags);
      w.u64(p.offset);
      w.u64(p.vaddr);
      w.u64(p.vaddr);
      w.u64(p.filesz);
      w.u64(p.memsz);
      w.u64(0x1000n);
    } else {
      w.u32(p.type);
      w.u32(Number(p.offset));
      w.u32(Number(p.vaddr));
      w.u32(Number(p.vaddr));
      w.u32(Number(p.filesz));
      w.u32(Number(p.memsz));
      w.u32(p.flags);
      w.u32(0x1000);
    }
  }
  w.raw(body.done());
  sections.forEach((s, i) => {
    const size = s.type === 8 ? (s.size ?? 0) : (s.data?.length ?? 0);
    const link = s.link === undefined ? 0 : indexOf(s.link);
    const info = s.type === 2 || s.type === 11 ? 1 : 0;
    w.u32(shstr.offsets.get(s.name) ?? 0);
    w.u32(s.type);
    w.word(s.flags ?? 0n);
    w.word(s.addr ?? 0n);
    w.word(BigInt(i === 0 ? 0 : dataOffsets[i]!));
    w.word(BigInt(size));
    w.u32(link);
    w.u32(info);
    w.word(8n);
    w.word(BigInt(s.entsize ?? 0));
  });
  return w.done();
}

/** An NT_GNU_BUILD_ID note ("GNU\0") with the given descriptor. */
export function buildIdNote(littleEndian: boolean, hex: string): Uint8Array {
  const desc = Buffer.from(hex, 'hex');
  const b = Buffer.alloc(12 + 4 + ((desc.length + 3) & ~3));
  const w = (v: number, at: number): number =>
    littleEndian ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at);
  w(4, 0);
  w(desc.length, 4);
  w(3, 8);
  b.write('GNU\0', 12, 'latin1');
  desc.copy(b, 16);
  return b;
}
