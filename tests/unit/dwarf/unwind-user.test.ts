/**
 * unwindUser on a hand-made module: perf 6.1's entry rules (pc-1 for callers, frame limit, end of
 * chain) and hostile input (corrupt .eh_frame, looping CFA, memory outside the stack copy).
 */
import { describe, expect, it } from 'vitest';
import { unwindUser, type CodeModule, type UserRegs } from '../../../src/session/dwarf/index';
import type { ElfSections } from '../../../src/session/symbols/elf/types';
import { cie, ehFrameHdr, fakeElf, fde, u64 } from './support/cfi-builder';

const BASE = 0x555500000000n;
const SP = 0x7ffd0000n;

interface Fn {
  start: number;
  size: number;
  cfi: number[];
}

/*
 * f1 0x1000: CFA = rsp+16, rbp at CFA-16 (pushed rbp); f2 0x1010: CFA = rsp+8 (CIE default);
 * f3 0x1020: return address undefined (like _start); f4 0x1030: CFA = rsp, return address at
 * [CFA] (a frame that returns to itself); f5 0x1040: CFA expression that loops (DW_OP_skip -3);
 * f6 0x1050: CFA from rbp, which the sample does not carry.
 */
const FUNCS: Fn[] = [
  { start: 0x1000, size: 0x10, cfi: [0x0e, 16, 0x86, 2] },
  { start: 0x1010, size: 0x10, cfi: [] },
  { start: 0x1020, size: 0x10, cfi: [0x07, 16] },
  { start: 0x1030, size: 0x10, cfi: [0x0e, 0, 0x90, 0] },
  { start: 0x1040, size: 0x10, cfi: [0x0f, 3, 0x2f, 0xfd, 0xff] },
  { start: 0x1050, size: 0x10, cfi: [0x0c, 6, 16] },
];

function module(ehFrameBytes?: (b: number[]) => number[]): ElfSections {
  const cieBytes = cie({ instructions: [0x0c, 7, 8, 0x90, 1] });
  let eh = [...cieBytes];
  const entries: { start: number; fde: number }[] = [];
  for (const f of FUNCS) {
    const at = 0x2100 + eh.length;
    entries.push({ start: f.start, fde: at });
    eh = eh.concat(fde(at, 0x2100, f.start, f.size, f.cfi));
  }
  eh.push(0, 0, 0, 0);
  return fakeElf([
    { name: '.text', addr: 0x1000, bytes: new Array(0x100).fill(0x90), flags: 6n },
    { name: '.eh_frame_hdr', addr: 0x2000, bytes: ehFrameHdr(0x2000, 0x2100, entries) },
    { name: '.eh_frame', addr: 0x2100, bytes: ehFrameBytes ? ehFrameBytes(eh) : eh },
  ]);
}

/** Registers bp, sp, ip (perf x86 indexes 6, 7, 8). */
function regs(ip: bigint, bp = 0x1111n, mask = 0x1c0n): UserRegs {
  const vals: bigint[] = [];
  if (mask & 0x40n) vals.push(bp);
  vals.push(SP, ip);
  return {
    abi: 2,
    mask,
    values: Uint32Array.from(vals.flatMap((v) => [Number(v & 0xffffffffn), Number(v >> 32n)])),
  };
}

function stack(words: bigint[], size = 64): Uint8Array {
  const out = new Uint8Array(size);
  words.forEach((w, i) => out.set(u64(w).slice(0, Math.max(0, Math.min(8, size - i * 8))), i * 8));
  return out;
}

function finder(elf: ElfSections, stackMapped = false) {
  return (addr: bigint): CodeModule | undefined => {
    if (addr >= BASE && addr < BASE + 0x3000n)
      return { elf, bias: BASE, map: { start: BASE, pgoff: 0n } };
    if (stackMapped && addr >= SP - 0x1000n && addr < SP + 0x10000n)
      return { elf: undefined, bias: 0n };
    return undefined;
  };
}

const at = (off: number) => BASE + BigInt(off);

describe('unwindUser (perf 6.1 with libunwind)', () => {
  const elf = module();
  const chainStack = stack([0x2222n, at(0x1015), at(0x1025)]);

  it('walks to the frame whose return address is undefined, callers at pc-1', () => {
    expect(unwindUser('x86_64', regs(at(0x1004)), chainStack, finder(elf), 127)).toEqual([
      at(0x1004),
      at(0x1014),
      at(0x1024),
    ]);
  });

  it('stops at maxFrames entries, the sampled ip included', () => {
    expect(unwindUser('x86_64', regs(at(0x1004)), chainStack, finder(elf), 2)).toEqual([
      at(0x1004),
      at(0x1014),
    ]);
    expect(unwindUser('x86_64', regs(at(0x1004)), chainStack, finder(elf), 1)).toEqual([
      at(0x1004),
    ]);
  });

  it('gives no user frames without registers or stack', () => {
    expect(
      unwindUser('x86_64', { ...regs(at(0x1004)), abi: 0 }, chainStack, finder(elf), 127),
    ).toEqual([]);
    expect(unwindUser('x86_64', regs(at(0x1004)), new Uint8Array(0), finder(elf), 127)).toEqual([]);
  });

  it('never reads the last 8 bytes of the stack copy from it', () => {
    // The return address of f1 sits in bytes 8..15: a 16-byte copy does not provide it, and no
    // map covers the stack, so the walk ends after the sampled ip.
    expect(
      unwindUser('x86_64', regs(at(0x1004)), stack([0x2222n, at(0x1015)], 16), finder(elf), 127),
    ).toEqual([at(0x1004)]);
    // With a 24-byte copy it is readable.
    expect(
      unwindUser('x86_64', regs(at(0x1004)), stack([0x2222n, at(0x1015)], 24), finder(elf), 127)[1],
    ).toBe(at(0x1014));
  });

  it('reads 0 from a mapped region without a file ([stack]) and prints it as -1', () => {
    const got = unwindUser(
      'x86_64',
      regs(at(0x1004)),
      stack([0x2222n, at(0x1015)], 16),
      finder(elf, true),
      127,
    );
    expect(got).toEqual([at(0x1004), 0xffffffffffffffffn]);
  });

  it('ends a frame that returns to itself (ip and CFA unchanged)', () => {
    expect(unwindUser('x86_64', regs(at(0x1034)), stack([at(0x1034)]), finder(elf), 127)).toEqual([
      at(0x1034),
    ]);
  });

  it('ends a looping CFA expression and a CFA from a register the sample lacks', () => {
    expect(unwindUser('x86_64', regs(at(0x1044)), chainStack, finder(elf), 127)).toEqual([
      at(0x1044),
    ]);
    expect(
      unwindUser('x86_64', regs(at(0x1054), 0n, 0x180n), chainStack, finder(elf), 127),
    ).toEqual([at(0x1054)]);
  });

  it('ends, without throwing, on corrupt .eh_frame bytes', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    };
    for (let round = 0; round < 200; round++) {
      const corrupt = module((b) => b.map((x) => (rand() % 4 === 0 ? rand() & 0xff : x)));
      const words = Array.from({ length: 8 }, () =>
        rand() % 2 ? at(0x1000 + (rand() % 0x60)) : BigInt(rand()),
      );
      const ips = unwindUser(
        'x86_64',
        regs(at(0x1000 + (rand() % 0x60))),
        stack(words),
        finder(corrupt, true),
        127,
      );
      expect(ips.length).toBeGreaterThanOrEqual(1);
      expect(ips.length).toBeLessThanOrEqual(127);
    }
  });

  it('ends a stack of frames that never finishes at maxFrames', () => {
    // f2 frames all the way: each return address is f2 again, the stack copy is large.
    const words = Array.from({ length: 600 }, () => at(0x1015));
    const ips = unwindUser('x86_64', regs(at(0x1014)), stack(words, 600 * 8), finder(elf), 127);
    expect(ips).toHaveLength(127);
  });

  it('knows nothing of other architectures', () => {
    expect(unwindUser('sparc', regs(at(0x1004)), chainStack, finder(elf), 127)).toEqual([]);
  });
});
