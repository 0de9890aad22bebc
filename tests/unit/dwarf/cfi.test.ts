/** CIE/FDE parsing, the DW_CFA and DW_OP interpreters and .eh_frame_hdr on hand-made bytes. */
import { describe, expect, it } from 'vitest';
import { BufferMemory } from '../../../src/session/dwarf/cfi/cfi-memory';
import {
  cfaOffColumn,
  cfaRegColumn,
  rowFor,
  Where,
} from '../../../src/session/dwarf/cfi/cfa-program';
import { parseCie, parseFde } from '../../../src/session/dwarf/cfi/cie-fde';
import { buildDebugFrameTable, lookupDebugFrame } from '../../../src/session/dwarf/cfi/debug-frame';
import { lookupTable, parseEhFrameHdr } from '../../../src/session/dwarf/cfi/eh-frame-hdr';
import { evalExpression, type ExprContext } from '../../../src/session/dwarf/cfi/expression';
import { UnwindFailure } from '../../../src/session/dwarf/cfi/unwind-failure';
import { cie, ehFrameHdr, fde, sleb, u32, u64, uleb } from './support/cfi-builder';

const mem = (bytes: number[], base = 0) =>
  new BufferMemory('test', Uint8Array.from(bytes), BigInt(base));

/** Bytes placed at addresses (gaps are zero). */
function image(parts: [number, number[]][]): number[] {
  const out: number[] = [];
  for (const [at, bytes] of parts) {
    while (out.length < at) out.push(0);
    out.splice(at, bytes.length, ...bytes);
  }
  return out;
}

describe('CIE and FDE', () => {
  it('parses a zR CIE and a pcrel|sdata4 FDE', () => {
    const c = cie({ instructions: [0x0c, 7, 8, 0x90, 1] });
    const f = fde(0x100 + c.length, 0x100, 0x1000, 0x40, []);
    const m = mem(image([[0x100, [...c, ...f]]]));
    const pi = parseFde(m, BigInt(0x100 + c.length), false, 0n)!;
    expect(pi.startIp).toBe(0x1000n);
    expect(pi.endIp).toBe(0x1040n);
    expect(pi.cie).toMatchObject({
      codeAlign: 1n,
      dataAlign: -8n,
      raColumn: 16,
      fdeEncoding: 0x1b,
      signalFrame: false,
    });
  });

  it('reads zPLR (indirect personality) and S augmentations', () => {
    // "zPLRS": P = indirect|pcrel|sdata4 pointing at a slot at 0x200, L = sdata4, R = pcrel|sdata4.
    const augAt = 0x100 + 4 + 4 + 1 + 6 + 3 + 1; // length, id, version, "zPLRS\0", factors + ra, aug length
    const c = cie({
      aug: 'zPLRS',
      augData: [0x9b, ...u32(0x200 - (augAt + 1)), 0x0b, 0x1b],
      instructions: [],
    });
    const bytes = image([
      [0x100, c],
      [0x200, u64(0x1234n)],
    ]);
    const info = parseCie(mem(bytes), 0x100n, false, { gp: 0n, startIp: 0n });
    // libunwind keeps only the first four letters: the 'S' of "zPLRS" is lost.
    expect(info).toMatchObject({
      signalFrame: false,
      lsdaEncoding: 0x0b,
      fdeEncoding: 0x1b,
      sizedAugmentation: true,
    });
    const sig = parseCie(mem(cie({ aug: 'zRS', instructions: [] })), 0n, false, {
      gp: 0n,
      startIp: 0n,
    });
    expect(sig.signalFrame).toBe(true);
    // The indirect personality pointer must be readable, or the CIE cannot be used.
    expect(() => parseCie(mem(c, 0x100), 0x100n, false, { gp: 0n, startIp: 0n })).toThrow(
      UnwindFailure,
    );
  });

  it('reads 64-bit DWARF lengths', () => {
    const cieBody = [...u64(0n), 1, 0x7a, 0x52, 0, 1, 0x78, 16, 1, 0x1b, 0x0c, 7, 8];
    const c = [...u32(0xffffffff), ...u64(BigInt(cieBody.length)), ...cieBody];
    const fdeAt = c.length;
    const fdeBody = [
      ...u64(BigInt(fdeAt + 12)),
      ...u32((0x500 - (fdeAt + 20)) >>> 0),
      ...u32(0x10),
      0,
    ];
    const bytes = [...c, ...u32(0xffffffff), ...u64(BigInt(fdeBody.length)), ...fdeBody];
    const pi = parseFde(mem(bytes), BigInt(fdeAt), false, 0n)!;
    expect([pi.startIp, pi.endIp]).toEqual([0x500n, 0x510n]);
  });

  it('rejects CIE versions libunwind rejects and ends at a zero terminator', () => {
    const c = cie({ instructions: [] });
    c[8] = 4; // version
    const f = fde(c.length, 0, 0x1000, 0x10, []);
    expect(() => parseFde(mem([...c, ...f]), BigInt(c.length), false, 0n)).toThrow(/version 4/);
    expect(parseFde(mem([0, 0, 0, 0]), 0n, false, 0n)).toBeUndefined();
  });
});

describe('DW_CFA interpreter (libunwind 1.6 rules)', () => {
  const c = cie({ instructions: [0x0c, 7, 8, 0x90, 1] }); // def_cfa rsp+8; ra at cfa-8
  const program = [
    0x41, // advance_loc 1
    0x0e,
    16, // def_cfa_offset 16
    0x86,
    2, // offset rbp, cfa-16
    0x44, // advance_loc 4 -> 0x1005
    0x0a, // remember_state
    0x0e,
    8, // def_cfa_offset 8
    0x41, // advance_loc 1 -> 0x1006
    0x0b, // restore_state
    0x14,
    0,
    0, // DW_CFA_val_offset: unknown to libunwind, skipped (its operands decode as nops)
    0x42, // advance_loc 2 -> 0x1008
    0x07,
    6, // undefined rbp
  ];
  const f = fde(c.length, 0, 0x1000, 0x20, program);
  const pi = parseFde(mem([...c, ...f]), BigInt(c.length), false, 0n)!;
  const row = (ip: number) => {
    const s = rowFor(pi, BigInt(ip), 17);
    return {
      cfa: s.rules[cfaOffColumn(17)]!.val,
      rbp: s.rules[6]!.where,
      cfaReg: s.rules[cfaRegColumn(17)]!.val,
    };
  };

  it('gives each address its row', () => {
    expect(row(0x1000)).toEqual({ cfa: 8n, rbp: Where.SAME, cfaReg: 7n });
    expect(row(0x1001)).toEqual({ cfa: 16n, rbp: Where.CFAREL, cfaReg: 7n });
    expect(row(0x1005)).toEqual({ cfa: 8n, rbp: Where.CFAREL, cfaReg: 7n });
    expect(row(0x1007)).toEqual({ cfa: 16n, rbp: Where.CFAREL, cfaReg: 7n });
    expect(row(0x1008).rbp).toBe(Where.UNDEF);
  });

  it('does not apply DW_CFA_restore_state at exactly the frame ip (libunwind quirk)', () => {
    expect(row(0x1006).cfa).toBe(8n);
  });

  it('fails on registers libunwind does not track and on a restore_state without remember', () => {
    const bad = fde(c.length, 0, 0x1000, 0x10, [0x05, 40, 1]); // offset_extended r40
    const pi2 = parseFde(mem([...c, ...bad]), BigInt(c.length), false, 0n)!;
    expect(() => rowFor(pi2, 0x1004n, 17)).toThrow(/register 40/);
    const under = fde(c.length, 0, 0x1000, 0x10, [0x0b]);
    const pi3 = parseFde(mem([...c, ...under]), BigInt(c.length), false, 0n)!;
    expect(() => rowFor(pi3, 0x1004n, 17)).toThrow(/restore_state/);
  });
});

describe('DW_OP evaluator', () => {
  const words = new Map<bigint, bigint>([[0x7000n, 0xabcdn]]);
  const data = {
    name: 'stack',
    byte: (a: bigint) => {
      const base = a & ~7n;
      const w = words.get(base);
      return w === undefined ? undefined : Number((w >> (8n * (a - base))) & 0xffn);
    },
  };
  const regs: Record<number, bigint> = { 7: 0x6ff8n, 16: 0x401036n };
  const run = (ops: number[]) => {
    const ctx: ExprContext = {
      code: mem([...uleb(ops.length), ...ops]),
      data,
      readReg: (n) => regs[n] ?? 0n,
      toUnwRegnum: (n) => (n < 17n ? Number(n) : 0),
      cfa: 0x7100n,
    };
    return evalExpression(ctx, 0n);
  };

  it('evaluates register-relative loads', () => {
    expect(run([0x77, ...sleb(8), 0x06])).toEqual({ kind: 'value', value: 0xabcdn }); // breg7 8; deref
    expect(run([])).toEqual({ kind: 'value', value: 0x7100n }); // the CFA is pushed first
    expect(run([0x56])).toEqual({ kind: 'register', reg: 6 }); // DW_OP_reg6
  });

  it("compares with libunwind's operand order (the PLT CFA expression)", () => {
    // CFA = rsp + 8 + ((rip & 15) >= 11) << 3; libunwind evaluates 11 >= (rip & 15) instead.
    const plt = [0x77, 8, 0x80, 0, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22];
    expect(run(plt)).toEqual({ kind: 'value', value: 0x6ff8n + 8n + 8n });
  });

  it('ends hostile expressions', () => {
    expect(() => run([0x2f, ...[0xfd, 0xff]])).toThrow(/longer than/); // DW_OP_skip -3 loops
    expect(() => run([0x13, 0x13])).toThrow(/underflow/);
    expect(() => run([0x9c])).toThrow(/unsupported/); // DW_OP_call_frame_cfa
    expect(() => run([0x70, 0, 0x06])).toThrow(UnwindFailure); // deref of unmapped memory
  });
});

describe('.eh_frame_hdr and .debug_frame tables', () => {
  it('binary-searches the table like libunwind', () => {
    const hdr = ehFrameHdr(0x2000, 0x2100, [
      { start: 0x1000, fde: 0x2118 },
      { start: 0x1010, fde: 0x2130 },
      { start: 0x1030, fde: 0x2148 },
    ]);
    const spec = parseEhFrameHdr(Uint8Array.from(hdr.slice(0, 20)), 0x2000n)!;
    expect(spec).toEqual({ addr: 0x2000n, fdeCount: 3n, tableOffset: 12 });
    const m = mem(hdr, 0x2000);
    expect(lookupTable(m, 0x200cn, 3n, 0x1015 - 0x2000)).toEqual({
      startIpOffset: 0x1010 - 0x2000,
      fdeOffset: 0x130,
    });
    expect(lookupTable(m, 0x200cn, 3n, 0x0fff - 0x2000)).toBeUndefined();
    // Encodings perf's decoder refuses (uleb128 count) make the DSO unusable.
    expect(
      parseEhFrameHdr(Uint8Array.from([1, 0x1b, 0x01, 0x3b, ...Array(16).fill(0)]), 0n),
    ).toBeUndefined();
  });

  it('indexes .debug_frame FDEs (CIE id 0xffffffff, CIE pointer section-relative)', () => {
    const cieBody = [...u32(0xffffffff), 1, 0, 1, 0x78, 16, 0x0c, 7, 8];
    const c = [...u32(cieBody.length), ...cieBody];
    const fdeBody = [...u32(0), ...u64(0x1000n), ...u64(0x20n), 0x0e, 16];
    const bytes = Uint8Array.from([...c, ...u32(fdeBody.length), ...fdeBody]);
    const table = buildDebugFrameTable(bytes);
    expect(table.entries).toHaveLength(1);
    const pi = lookupDebugFrame(table, 0x1010n, 0x5000n)!;
    expect([pi.startIp, pi.endIp]).toEqual([0x6000n, 0x6020n]);
    expect(lookupDebugFrame(table, 0x0800n, 0n)).toBeUndefined();
  });
});
