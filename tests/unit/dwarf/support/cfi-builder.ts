/**
 * Hand-made CFI for tests: byte emitters, CIE/FDE/.eh_frame_hdr builders and a fake ElfSections
 * whose file offsets equal its addresses.
 */
import type {
  ElfProgramHeader,
  ElfSection,
  ElfSections,
} from '../../../../src/session/symbols/elf/types';

export const uleb = (v: number | bigint): number[] => {
  let x = BigInt(v);
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return out;
};

export const sleb = (v: number | bigint): number[] => {
  let x = BigInt(v);
  const out: number[] = [];
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && !(b & 0x40)) || (x === -1n && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

export const u16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
export const u32 = (v: number) => [
  v & 0xff,
  (v >>> 8) & 0xff,
  (v >>> 16) & 0xff,
  (v >>> 24) & 0xff,
];
export const u64 = (v: bigint) =>
  Array.from({ length: 8 }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));

/** A CIE: version 1, "zR" (FDE pointers pcrel|sdata4) plus extra augmentation letters. */
export function cie(opts: {
  aug?: string;
  augData?: number[];
  instructions: number[];
  raColumn?: number;
  dataAlign?: number;
}): number[] {
  const aug = opts.aug ?? 'zR';
  const augData = opts.augData ?? [0x1b];
  const body = [
    ...u32(0), // CIE_id
    1, // version
    ...[...aug].map((c) => c.charCodeAt(0)),
    0,
    ...uleb(1), // code alignment
    ...sleb(opts.dataAlign ?? -8),
    opts.raColumn ?? 16,
    ...(aug.startsWith('z') ? [...uleb(augData.length), ...augData] : []),
    ...opts.instructions,
  ];
  while ((body.length + 4) % 8) body.push(0); // DW_CFA_nop padding
  return [...u32(body.length), ...body];
}

/** An FDE at `at` (its address) whose CIE is at `cieAt`; pc fields pcrel|sdata4. */
export function fde(
  at: number,
  cieAt: number,
  start: number,
  size: number,
  instructions: number[],
): number[] {
  const ciePtrAt = at + 4;
  const pcAt = at + 8;
  const body = [
    ...u32(ciePtrAt - cieAt),
    ...u32((start - pcAt) >>> 0),
    ...u32(size),
    ...uleb(0),
    ...instructions,
  ];
  while ((body.length + 4) % 8) body.push(0);
  return [...u32(body.length), ...body];
}

/** .eh_frame_hdr at `at`: version 1, eh_frame_ptr pcrel|sdata4, count udata4, table datarel|sdata4. */
export function ehFrameHdr(
  at: number,
  ehFrameAt: number,
  entries: { start: number; fde: number }[],
): number[] {
  const sorted = [...entries].sort((a, b) => a.start - b.start);
  return [
    1,
    0x1b,
    0x03,
    0x3b,
    ...u32((ehFrameAt - (at + 4)) >>> 0),
    ...u32(sorted.length),
    ...sorted.flatMap((e) => [...u32((e.start - at) >>> 0), ...u32((e.fde - at) >>> 0)]),
  ];
}

export interface FakeSection {
  name: string;
  addr: number;
  bytes: number[] | Uint8Array;
  flags?: bigint;
}

/** An ElfSections with the given sections; file offset = address; one PT_LOAD over everything. */
export function fakeElf(sections: FakeSection[]): ElfSections {
  const list: ElfSection[] = [
    { name: '', type: 0, flags: 0n, addr: 0n, offset: 0, size: 0, data: () => new Uint8Array(0) },
    ...sections.map((s) => {
      const data = s.bytes instanceof Uint8Array ? s.bytes : Uint8Array.from(s.bytes);
      return {
        name: s.name,
        type: 1,
        flags: s.flags ?? 2n,
        addr: BigInt(s.addr),
        offset: s.addr,
        size: data.length,
        data: () => data,
      };
    }),
  ];
  const end = Math.max(...sections.map((s) => s.addr + s.bytes.length));
  const load: ElfProgramHeader = {
    type: 1,
    flags: 5,
    offset: 0,
    vaddr: 0n,
    paddr: 0n,
    filesz: end,
    memsz: BigInt(end),
    align: 0x1000n,
  };
  return {
    is64: true,
    littleEndian: true,
    machine: 62,
    type: 3,
    sections: list,
    programHeaders: [load],
    section: (name: string) => list.find((s, i) => i > 0 && s.name === name),
  };
}
