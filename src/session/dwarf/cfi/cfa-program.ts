/**
 * The DW_CFA interpreter with libunwind 1.6's rules (src/dwarf/Gparser.c run_cfi_program), which
 * decide the register rules perf's unwinder applies. Quirks kept on purpose, because perf output
 * depends on them:
 * - rows are run while `loc <= end_ip` with end_ip = the frame's ip (not ip - 1 for callers);
 * - DW_CFA_restore_state and DW_CFA_GNU_args_size only act when `loc < end_ip`;
 * - opcodes libunwind does not know (DW_CFA_val_offset[_sf], 0x17-0x1b) are skipped without
 *   consuming operands;
 * - a register number >= the arch's preserved-register count fails the step.
 */
import { CfiReader, wrap64 } from './cfi-memory.js';
import type { ProcInfo } from './cie-fde.js';
import * as C from './constants.js';
import { UnwCode, fail } from './unwind-failure.js';

/** libunwind's dwarf_where_t. */
export const Where = { UNDEF: 0, SAME: 1, CFAREL: 2, REG: 3, EXPR: 4, VAL_EXPR: 5 } as const;
export type Where = (typeof Where)[keyof typeof Where];

export interface RegRule {
  where: Where;
  /** CFA offset (signed, wrapped to 64 bits), register number, or the address of an expression. */
  val: bigint;
}

/** The rules of one row: `preserved` registers, then the CFA register and CFA offset columns. */
export interface RegState {
  rules: RegRule[];
  raColumn: number;
}

/** Bounds that keep hostile CFI from running forever or allocating without limit. */
const MAX_INSTRUCTIONS = 1_000_000;
const MAX_REMEMBERED_STATES = 1024;

export function cfaRegColumn(preserved: number): number {
  return preserved;
}
export function cfaOffColumn(preserved: number): number {
  return preserved + 1;
}

export function initialState(preserved: number, raColumn: number): RegState {
  const rules: RegRule[] = [];
  for (let i = 0; i < preserved + 2; i++) rules.push({ where: Where.SAME, val: 0n });
  return { rules, raColumn };
}

function cloneState(s: RegState): RegState {
  return { rules: s.rules.map((r) => ({ ...r })), raColumn: s.raColumn };
}

/**
 * Runs the CIE's initial instructions (to the end) and then the FDE's up to `ip`, returning the
 * row libunwind would apply for a frame at `ip`.
 */
export function rowFor(pi: ProcInfo, ip: bigint, preserved: number): RegState {
  const state = initialState(preserved, pi.cie.raColumn);
  const cieRun = { curIp: 0n };
  run(pi, state, state, cieRun, 0xffffffffffffffffn, pi.cie.instrStart, pi.cie.instrEnd, preserved);
  const initial = cloneState(state);
  const fdeRun = { curIp: pi.startIp };
  run(pi, state, initial, fdeRun, ip, pi.instrStart, pi.instrEnd, preserved);
  return state;
}

function run(
  pi: ProcInfo,
  sr: RegState,
  initial: RegState,
  loc: { curIp: bigint },
  endIp: bigint,
  start: bigint,
  end: bigint,
  preserved: number,
): void {
  const r = new CfiReader(pi.mem, start);
  const cie = pi.cie;
  const stack: RegState[] = [];
  const where = (reg: number, w: Where, val: bigint) => {
    sr.rules[reg] = { where: w, val };
  };
  const regnum = (field: string): number => {
    const n = r.uleb(field);
    if (n >= BigInt(preserved))
      fail(UnwCode.BAD_CFI, `${pi.mem.name}: ${field}: register ${n} not tracked`);
    return Number(n);
  };
  const factored = (v: bigint) => wrap64(v * cie.dataAlign);
  const CFA_REG = cfaRegColumn(preserved);
  const CFA_OFF = cfaOffColumn(preserved);

  for (let count = 0; loc.curIp <= endIp && r.addr < end; count++) {
    if (count >= MAX_INSTRUCTIONS)
      fail(
        UnwCode.BAD_CFI,
        `${pi.mem.name}: CFI program longer than ${MAX_INSTRUCTIONS} instructions`,
      );
    let op = r.u8('DW_CFA opcode');
    let operand = 0;
    if (op & 0xc0) {
      operand = op & 0x3f;
      op &= 0xc0;
    }
    switch (op) {
      case C.DW_CFA_advance_loc:
        loc.curIp = wrap64(loc.curIp + BigInt(operand) * cie.codeAlign);
        break;
      case C.DW_CFA_advance_loc1:
        loc.curIp = wrap64(loc.curIp + BigInt(r.u8('DW_CFA_advance_loc1')) * cie.codeAlign);
        break;
      case C.DW_CFA_advance_loc2:
        loc.curIp = wrap64(loc.curIp + BigInt(r.u16('DW_CFA_advance_loc2')) * cie.codeAlign);
        break;
      case C.DW_CFA_advance_loc4:
        loc.curIp = wrap64(loc.curIp + BigInt(r.u32('DW_CFA_advance_loc4')) * cie.codeAlign);
        break;
      case C.DW_CFA_MIPS_advance_loc8:
        fail(UnwCode.BAD_CFI, `${pi.mem.name}: DW_CFA_MIPS_advance_loc8 on a non-MIPS target`);
      // falls through (fail never returns)
      case C.DW_CFA_offset:
        if (operand >= preserved)
          fail(UnwCode.BAD_CFI, `${pi.mem.name}: DW_CFA_offset: register ${operand} not tracked`);
        where(operand, Where.CFAREL, factored(r.uleb('DW_CFA_offset')));
        break;
      case C.DW_CFA_offset_extended: {
        const reg = regnum('DW_CFA_offset_extended');
        where(reg, Where.CFAREL, factored(r.uleb('DW_CFA_offset_extended')));
        break;
      }
      case C.DW_CFA_offset_extended_sf: {
        const reg = regnum('DW_CFA_offset_extended_sf');
        where(reg, Where.CFAREL, factored(r.sleb('DW_CFA_offset_extended_sf')));
        break;
      }
      case C.DW_CFA_restore:
      case C.DW_CFA_restore_extended: {
        const reg =
          op === C.DW_CFA_restore
            ? operand
            : Number(r.uleb('DW_CFA_restore_extended') & 0xffffffffn);
        if (reg >= preserved)
          fail(UnwCode.BAD_CFI, `${pi.mem.name}: DW_CFA_restore: register ${reg} not tracked`);
        sr.rules[reg] = { ...initial.rules[reg]! };
        break;
      }
      case C.DW_CFA_nop:
        break;
      case C.DW_CFA_set_loc:
        loc.curIp = r.encoded(
          cie.fdeEncoding,
          { gp: pi.gp, startIp: pi.startIp },
          'DW_CFA_set_loc',
        );
        break;
      case C.DW_CFA_undefined:
        where(regnum('DW_CFA_undefined'), Where.UNDEF, 0n);
        break;
      case C.DW_CFA_same_value:
        where(regnum('DW_CFA_same_value'), Where.SAME, 0n);
        break;
      case C.DW_CFA_register: {
        const reg = regnum('DW_CFA_register');
        where(reg, Where.REG, r.uleb('DW_CFA_register'));
        break;
      }
      case C.DW_CFA_remember_state:
        if (stack.length >= MAX_REMEMBERED_STATES)
          fail(UnwCode.BAD_CFI, `${pi.mem.name}: DW_CFA_remember_state nested too deep`);
        stack.push(cloneState(sr));
        break;
      case C.DW_CFA_restore_state: {
        const top = stack[stack.length - 1];
        if (!top)
          fail(UnwCode.BAD_CFI, `${pi.mem.name}: DW_CFA_restore_state without a remembered state`);
        if (loc.curIp < endIp) {
          sr.rules = top.rules;
          sr.raColumn = top.raColumn;
          stack.pop();
        }
        break;
      }
      case C.DW_CFA_def_cfa: {
        const reg = regnum('DW_CFA_def_cfa');
        where(CFA_REG, Where.REG, BigInt(reg));
        where(CFA_OFF, Where.UNDEF, r.uleb('DW_CFA_def_cfa')); // not factored
        break;
      }
      case C.DW_CFA_def_cfa_sf: {
        const reg = regnum('DW_CFA_def_cfa_sf');
        where(CFA_REG, Where.REG, BigInt(reg));
        where(CFA_OFF, Where.UNDEF, factored(r.sleb('DW_CFA_def_cfa_sf')));
        break;
      }
      case C.DW_CFA_def_cfa_register:
        where(CFA_REG, Where.REG, BigInt(regnum('DW_CFA_def_cfa_register')));
        break;
      case C.DW_CFA_def_cfa_offset:
        where(CFA_OFF, Where.UNDEF, r.uleb('DW_CFA_def_cfa_offset'));
        break;
      case C.DW_CFA_def_cfa_offset_sf:
        where(CFA_OFF, Where.UNDEF, factored(r.sleb('DW_CFA_def_cfa_offset_sf')));
        break;
      case C.DW_CFA_def_cfa_expression: {
        // The rule keeps the address of the block (its ULEB length first) for later evaluation.
        where(CFA_REG, Where.EXPR, r.addr);
        const len = r.uleb('DW_CFA_def_cfa_expression length');
        r.addr = wrap64(r.addr + len);
        break;
      }
      case C.DW_CFA_expression:
      case C.DW_CFA_val_expression: {
        const reg = regnum(
          op === C.DW_CFA_expression ? 'DW_CFA_expression' : 'DW_CFA_val_expression',
        );
        where(reg, op === C.DW_CFA_expression ? Where.EXPR : Where.VAL_EXPR, r.addr);
        const len = r.uleb('expression length');
        r.addr = wrap64(r.addr + len);
        break;
      }
      case C.DW_CFA_GNU_args_size:
        r.uleb('DW_CFA_GNU_args_size');
        break;
      case C.DW_CFA_GNU_negative_offset_extended: {
        const reg = regnum('DW_CFA_GNU_negative_offset_extended');
        where(reg, Where.CFAREL, wrap64(-factored(r.uleb('DW_CFA_GNU_negative_offset_extended'))));
        break;
      }
      case C.DW_CFA_GNU_window_save:
      case C.DW_CFA_lo_user:
      case C.DW_CFA_hi_user:
        fail(UnwCode.BAD_CFI, `${pi.mem.name}: unexpected CFA opcode 0x${op.toString(16)}`);
      // falls through (fail never returns)
      default:
        // libunwind's switch has no default: unknown opcodes are skipped, operands unread.
        break;
    }
  }
}
