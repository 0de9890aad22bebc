/**
 * libunwind's unwind cursor in remote mode, as perf 6.1 drives it: register locations (a sampled
 * register, a memory slot, or a value), the CFA (= the frame's stack pointer), the ip, and
 * dwarf_step (src/dwarf/Gparser.c find_reg_state + apply_reg_state).
 */
import { wrap64 } from '../cfi/cfi-memory.js';
import { cfaOffColumn, cfaRegColumn, rowFor, Where, type RegState } from '../cfi/cfa-program.js';
import type { ProcInfo } from '../cfi/cie-fde.js';
import { evalExpression } from '../cfi/expression.js';
import { UnwCode, fail } from '../cfi/unwind-failure.js';
import type { UnwindArch } from './arch-regs.js';
import { findProcInfo } from './proc-info.js';
import type { ProcessMemory } from './process-memory.js';
import { perfRegValue } from './sample-regs.js';
import type { FindModule, UserRegs } from './types.js';

/** A saved register's location (libunwind's dwarf_loc_t). */
export type Loc =
  | { kind: 'null' }
  | { kind: 'reg'; reg: number }
  | { kind: 'mem'; addr: bigint }
  | { kind: 'val'; value: bigint };

export const NULL_LOC: Loc = { kind: 'null' };

export class Cursor {
  ip = 0n;
  cfa = 0n;
  /** Look the FDE up at ip - 1 (a call's return address) rather than at ip. */
  usePrevInstr = false;
  readonly loc: Loc[];

  constructor(
    readonly arch: UnwindArch,
    private readonly regs: UserRegs,
    readonly mem: ProcessMemory,
    private readonly findModule: FindModule,
  ) {
    this.loc = [];
    for (let i = 0; i < arch.preserved; i++) this.loc.push({ kind: 'reg', reg: i });
  }

  /** unw_init_remote: ip from the ip register, CFA from the stack pointer. */
  init(): void {
    this.ip = this.get(this.loc[this.arch.ip]!);
    this.cfa = this.get({ kind: 'reg', reg: this.arch.sp });
  }

  /** perf's access_reg: the sampled value of a libunwind register. */
  sampledReg(reg: number): bigint {
    const id = this.arch.perfReg[reg] ?? -1;
    const v = id >= 0 ? perfRegValue(this.regs, id) : undefined;
    if (v === undefined) fail(UnwCode.READ, `register ${reg} is not in the sample`);
    return v;
  }

  /** dwarf_get. */
  get(loc: Loc): bigint {
    switch (loc.kind) {
      case 'null':
        return fail(UnwCode.READ, 'register location is undefined');
      case 'reg':
        return this.sampledReg(loc.reg);
      case 'val':
        return loc.value;
      case 'mem': {
        const v = this.mem.word(loc.addr);
        if (v === undefined) fail(UnwCode.READ, `cannot read memory at 0x${loc.addr.toString(16)}`);
        return v;
      }
    }
  }

  /** unw_get_reg (tdep_access_reg): the stack pointer reads as the CFA. */
  getReg(reg: number): bigint {
    if (reg === this.arch.sp) return this.cfa;
    const loc = this.loc[reg];
    if (!loc) return fail(UnwCode.BAD_CFI, `register ${reg} is not tracked`);
    return this.get(loc);
  }

  /** dwarf_to_unw_regnum: untracked numbers map to register 0. */
  toUnwRegnum = (n: bigint): number => (n < BigInt(this.arch.preserved) ? Number(n) : 0);

  /**
   * dwarf_step: find the FDE (at ip - 1 unless the previous frame was a signal frame), compute
   * the row at ip, apply it. Returns 1 when a caller frame was found, 0 at the end of the chain
   * (undefined return address). Throws UnwindFailure.
   */
  dwarfStep(): number {
    const lookup = this.usePrevInstr ? wrap64(this.ip - 1n) : this.ip;
    const pi = findProcInfo(lookup, this.findModule, this.mem);
    const row = rowFor(pi, this.ip, this.arch.preserved);
    this.usePrevInstr = !pi.cie.signalFrame;
    return this.apply(pi, row);
  }

  private evalLoc(pi: ProcInfo, addr: bigint): Loc {
    const r = evalExpression(
      {
        code: pi.mem,
        data: this.mem,
        readReg: (n) => this.getReg(n),
        toUnwRegnum: this.toUnwRegnum,
        cfa: this.cfa,
      },
      addr,
    );
    return r.kind === 'register' ? { kind: 'reg', reg: r.reg } : { kind: 'mem', addr: r.value };
  }

  /** apply_reg_state. */
  private apply(pi: ProcInfo, rs: RegState): number {
    const { arch } = this;
    const prevIp = this.ip;
    const prevCfa = this.cfa;
    const cfaRule = rs.rules[cfaRegColumn(arch.preserved)]!;
    let cfa: bigint;
    if (cfaRule.where === Where.REG) {
      const reg = Number(cfaRule.val);
      // CFA = sp + off with sp not saved: the previous CFA is this frame's sp.
      if (reg === arch.sp && rs.rules[arch.sp]!.where === Where.SAME) cfa = this.cfa;
      else cfa = this.getReg(this.toUnwRegnum(cfaRule.val));
      cfa = wrap64(cfa + rs.rules[cfaOffColumn(arch.preserved)]!.val);
    } else {
      // An expression (or, when no rule was ever set, libunwind evaluates the "expression" at 0).
      const loc = this.evalLoc(pi, cfaRule.where === Where.EXPR ? cfaRule.val : 0n);
      if (loc.kind !== 'mem') fail(UnwCode.BAD_FRAME, 'CFA expression names a register');
      cfa = loc.addr;
    }
    for (let i = 0; i < arch.preserved; i++) {
      const rule = rs.rules[i]!;
      switch (rule.where) {
        case Where.UNDEF:
          this.loc[i] = NULL_LOC;
          break;
        case Where.SAME:
          break;
        case Where.CFAREL:
          this.loc[i] = { kind: 'mem', addr: wrap64(cfa + rule.val) };
          break;
        case Where.REG:
          this.loc[i] = { kind: 'reg', reg: this.toUnwRegnum(rule.val) };
          break;
        case Where.EXPR:
          this.loc[i] = this.evalLoc(pi, rule.val);
          break;
        case Where.VAL_EXPR: {
          const loc = this.evalLoc(pi, rule.val);
          // DWARF_VAL_LOC keeps the number of the register or the address as the value.
          this.loc[i] = {
            kind: 'val',
            value: loc.kind === 'mem' ? loc.addr : loc.kind === 'reg' ? BigInt(loc.reg) : 0n,
          };
          break;
        }
      }
    }
    this.cfa = cfa;
    const ra = this.loc[rs.raColumn];
    if (ra === undefined)
      fail(UnwCode.BAD_CFI, `return address column ${rs.raColumn} is not tracked`);
    let ret: number;
    if (ra.kind === 'null') {
      this.ip = 0n;
      ret = 0;
    } else {
      this.ip = this.get(ra);
      ret = 1;
    }
    if (this.ip === prevIp && this.cfa === prevCfa) fail(UnwCode.BAD_FRAME, 'ip and CFA unchanged');
    return ret;
  }
}
