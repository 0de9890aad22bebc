/**
 * The DW_OP evaluator of CFI rules, with libunwind 1.6's behaviour (src/dwarf/Gexpr.c), which
 * perf's unwinder inherits:
 * - the CFA is pushed before the first operation;
 * - DW_OP_le/ge/lt/gt/eq/ne compare (top OP second), the reverse of the DWARF order;
 * - DW_OP_bregx, DW_OP_deref_size etc. read only their first operand (libunwind's
 *   `NUM_OPERANDS (sig > 1)` typo): the second operand's bytes are then decoded as opcodes;
 * - DW_OP_regN / DW_OP_regx end the evaluation with a register location;
 * - DW_OP_fbreg, DW_OP_piece, DW_OP_call*, DW_OP_call_frame_cfa and anything unknown fail.
 * Stack depth and operation count are bounded so a hostile expression cannot loop forever.
 */
import { CfiReader, U64, wrap64, type CfiMemory } from './cfi-memory.js';
import * as C from './constants.js';
import { UnwCode, fail } from './unwind-failure.js';

const MAX_STACK = 100; // libunwind's MAX_EXPR_STACK_SIZE
const MAX_OPERATIONS = 10_000;

export interface ExprContext {
  /** Where the expression bytes and DW_OP_deref read from. */
  code: CfiMemory;
  data: CfiMemory;
  /** unw_get_reg for a libunwind register number (throws when unreadable). */
  readReg(unwRegnum: number): bigint;
  /** dwarf_to_unw_regnum (numbers beyond the tracked set become register 0). */
  toUnwRegnum(dwarfRegnum: bigint): number;
  cfa: bigint;
}

export type ExprResult = { kind: 'value'; value: bigint } | { kind: 'register'; reg: number };

type Operand = 'none' | 'u8' | 'u16' | 'u32' | 'u64' | 'uleb' | 'sleb';

/** libunwind's `operands[]` table: the first operand's type per opcode. */
function firstOperand(op: number): Operand {
  if (op >= C.DW_OP_breg0 && op < C.DW_OP_breg0 + 32) return 'sleb';
  switch (op) {
    case C.DW_OP_addr:
    case C.DW_OP_const8u:
    case C.DW_OP_const8s:
      return 'u64';
    case C.DW_OP_const1u:
    case C.DW_OP_const1s:
    case C.DW_OP_pick:
    case C.DW_OP_deref_size:
    case 0x95: // DW_OP_xderef_size
      return 'u8';
    case C.DW_OP_const2u:
    case C.DW_OP_const2s:
    case C.DW_OP_skip:
    case C.DW_OP_bra:
    case C.DW_OP_call2:
      return 'u16';
    case C.DW_OP_const4u:
    case C.DW_OP_const4s:
    case C.DW_OP_call4:
      return 'u32';
    case C.DW_OP_constu:
    case C.DW_OP_plus_uconst:
    case C.DW_OP_regx:
    case C.DW_OP_piece:
    case C.DW_OP_bregx:
      return 'uleb';
    case C.DW_OP_consts:
    case C.DW_OP_fbreg:
      return 'sleb';
    default:
      return 'none';
  }
}

const signed = (v: bigint) => BigInt.asIntN(64, v);

/** Evaluates the block at `addr` (a ULEB128 length, then the operations). */
export function evalExpression(ctx: ExprContext, addr: bigint): ExprResult {
  const r = new CfiReader(ctx.code, addr);
  const len = r.uleb('expression length');
  const end = wrap64(r.addr + len);
  const stack: bigint[] = [ctx.cfa];
  const push = (v: bigint) => {
    if (stack.length >= MAX_STACK)
      fail(UnwCode.BAD_CFI, `${ctx.code.name}: DWARF expression stack overflow`);
    stack.push(wrap64(v));
  };
  const pop = (): bigint => {
    const v = stack.pop();
    if (v === undefined)
      fail(UnwCode.BAD_CFI, `${ctx.code.name}: DWARF expression stack underflow`);
    return v;
  };
  const pick = (n: bigint): bigint => {
    const v = n < BigInt(stack.length) ? stack[stack.length - 1 - Number(n)] : undefined;
    if (v === undefined)
      fail(UnwCode.BAD_CFI, `${ctx.code.name}: DWARF expression pick out of the stack`);
    return v;
  };
  const read = (a: bigint, size: number): bigint => {
    const m = new CfiReader(ctx.data, a);
    if (size === 1) return BigInt(m.u8('DW_OP_deref_size'));
    if (size === 2) return BigInt(m.u16('DW_OP_deref_size'));
    if (size <= 4) return BigInt(m.u32('DW_OP_deref_size'));
    return m.u64('DW_OP_deref');
  };

  for (let count = 0; r.addr < end; count++) {
    if (count >= MAX_OPERATIONS)
      fail(
        UnwCode.BAD_CFI,
        `${ctx.code.name}: DWARF expression runs longer than ${MAX_OPERATIONS} operations`,
      );
    const at = r.addr;
    const op = r.u8('DW_OP opcode');
    let o1 = 0n;
    switch (firstOperand(op)) {
      case 'u8':
        o1 = BigInt(r.u8('DW_OP operand'));
        break;
      case 'u16':
        o1 = BigInt(r.u16('DW_OP operand'));
        break;
      case 'u32':
        o1 = BigInt(r.u32('DW_OP operand'));
        break;
      case 'u64':
        o1 = r.u64('DW_OP operand');
        break;
      case 'uleb':
        o1 = r.uleb('DW_OP operand');
        break;
      case 'sleb':
        o1 = r.sleb('DW_OP operand');
        break;
      case 'none':
        break;
    }
    if (op >= C.DW_OP_lit0 && op < C.DW_OP_lit0 + 32) {
      push(BigInt(op - C.DW_OP_lit0));
      continue;
    }
    if (op >= C.DW_OP_breg0 && op < C.DW_OP_breg0 + 32) {
      push(ctx.readReg(ctx.toUnwRegnum(BigInt(op - C.DW_OP_breg0))) + o1);
      continue;
    }
    if (op >= C.DW_OP_reg0 && op < C.DW_OP_reg0 + 32) {
      return { kind: 'register', reg: ctx.toUnwRegnum(BigInt(op - C.DW_OP_reg0)) };
    }
    switch (op) {
      case C.DW_OP_bregx:
        // The SLEB offset is never read (libunwind reads one operand only): it adds 0.
        push(ctx.readReg(ctx.toUnwRegnum(o1)));
        break;
      case C.DW_OP_regx:
        return { kind: 'register', reg: ctx.toUnwRegnum(o1) };
      case C.DW_OP_addr:
      case C.DW_OP_const1u:
      case C.DW_OP_const2u:
      case C.DW_OP_const4u:
      case C.DW_OP_const8u:
      case C.DW_OP_constu:
      case C.DW_OP_const8s:
      case C.DW_OP_consts:
        push(o1);
        break;
      case C.DW_OP_const1s:
        push(BigInt.asIntN(8, o1));
        break;
      case C.DW_OP_const2s:
        push(BigInt.asIntN(16, o1));
        break;
      case C.DW_OP_const4s:
        push(BigInt.asIntN(32, o1));
        break;
      case C.DW_OP_deref:
        push(read(pop(), 8));
        break;
      case C.DW_OP_deref_size: {
        const a = pop();
        if (o1 < 1n || o1 > 8n)
          fail(UnwCode.BAD_CFI, `${ctx.code.name}: DW_OP_deref_size ${o1} at 0x${at.toString(16)}`);
        const size = Number(o1);
        let v = read(a, size);
        if (size === 3) v &= 0xffffffn;
        else if (size > 4 && size < 8) v &= U64 << BigInt(8 * size); // libunwind's (wrong) mask, kept
        push(v);
        break;
      }
      case C.DW_OP_dup:
        push(pick(0n));
        break;
      case C.DW_OP_drop:
        pop();
        break;
      case C.DW_OP_pick:
        push(pick(o1));
        break;
      case C.DW_OP_over:
        push(pick(1n));
        break;
      case C.DW_OP_swap: {
        const a = pop();
        const b = pop();
        push(a);
        push(b);
        break;
      }
      case C.DW_OP_rot: {
        const a = pop();
        const b = pop();
        const c = pop();
        push(a);
        push(c);
        push(b);
        break;
      }
      case C.DW_OP_abs: {
        const a = pop();
        push(signed(a) < 0n ? -signed(a) : a);
        break;
      }
      case C.DW_OP_and:
        push(pop() & pop());
        break;
      case C.DW_OP_div: {
        const a = pop();
        const b = pop();
        push(a !== 0n ? signed(b) / signed(a) : a);
        break;
      }
      case C.DW_OP_minus: {
        const a = pop();
        push(pop() - a);
        break;
      }
      case C.DW_OP_mod: {
        const a = pop();
        const b = pop();
        push(a !== 0n ? b % a : a);
        break;
      }
      case C.DW_OP_mul: {
        const a = pop();
        const b = pop();
        push(a !== 0n ? b * a : a);
        break;
      }
      case C.DW_OP_neg:
        push(-pop());
        break;
      case C.DW_OP_not:
        push(~pop());
        break;
      case C.DW_OP_or:
        push(pop() | pop());
        break;
      case C.DW_OP_plus:
        push(pop() + pop());
        break;
      case C.DW_OP_plus_uconst:
        push(pop() + o1);
        break;
      case C.DW_OP_shl: {
        const a = pop();
        push(a < 64n ? pop() << a : (pop(), 0n));
        break;
      }
      case C.DW_OP_shr: {
        const a = pop();
        push(a < 64n ? pop() >> a : (pop(), 0n));
        break;
      }
      case C.DW_OP_shra: {
        const a = pop();
        const b = signed(pop());
        push(b >> (a < 64n ? a : 63n));
        break;
      }
      case C.DW_OP_xor:
        push(pop() ^ pop());
        break;
      case C.DW_OP_le:
      case C.DW_OP_ge:
      case C.DW_OP_eq:
      case C.DW_OP_lt:
      case C.DW_OP_gt:
      case C.DW_OP_ne: {
        const a = signed(pop()); // top
        const b = signed(pop());
        push(compare(op, a, b) ? 1n : 0n);
        break;
      }
      case C.DW_OP_skip:
        r.addr = wrap64(r.addr + BigInt.asIntN(16, o1));
        break;
      case C.DW_OP_bra:
        if (pop() !== 0n) r.addr = wrap64(r.addr + BigInt.asIntN(16, o1));
        break;
      case C.DW_OP_nop:
        break;
      default:
        fail(
          UnwCode.BAD_CFI,
          `${ctx.code.name}: unsupported DWARF expression opcode 0x${op.toString(16)} at 0x${at.toString(16)}`,
        );
    }
  }
  return { kind: 'value', value: pop() };
}

/** libunwind compares (top OP second): DW_OP_le pushes top <= second. */
function compare(op: number, top: bigint, second: bigint): boolean {
  switch (op) {
    case C.DW_OP_le:
      return top <= second;
    case C.DW_OP_ge:
      return top >= second;
    case C.DW_OP_lt:
      return top < second;
    case C.DW_OP_gt:
      return top > second;
    case C.DW_OP_eq:
      return top === second;
    default:
      return top !== second;
  }
}
