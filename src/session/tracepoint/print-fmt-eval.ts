/**
 * Evaluates print fmt arguments against one sample, as libtraceevent's eval_num_arg (numbers)
 * and print_str_arg (%s) do. Values are unsigned 64-bit; fields are read unsigned and only the
 * printf conversion gives them a sign, so `%d` of a pid_t is right and `%d` of a u64 wraps.
 */
import { s64, strtoull, u64 } from './c-number';
import { formatString, type ConversionSpec } from './c-printf';
import { castValue } from './c-types';
import type { PrintArg, TracepointField } from './event-format';
import { bitmaskText, cpumaskText } from './mask-formats';
import type { FieldLookup } from './field-lookup';
import { MAX_EXPRESSION_DEPTH } from './print-fmt-args';
import type { SampleData } from './sample-data';

/** eval_flag(): a flag value, or a few softirq / hrtimer names the kernel leaves unexpanded. */
const NAMED_FLAGS: Record<string, bigint> = {
  HI_SOFTIRQ: 0n,
  TIMER_SOFTIRQ: 1n,
  NET_TX_SOFTIRQ: 2n,
  NET_RX_SOFTIRQ: 3n,
  BLOCK_SOFTIRQ: 4n,
  IRQ_POLL_SOFTIRQ: 5n,
  TASKLET_SOFTIRQ: 6n,
  SCHED_SOFTIRQ: 7n,
  HRTIMER_SOFTIRQ: 8n,
  RCU_SOFTIRQ: 9n,
  HRTIMER_NORESTART: 0n,
  HRTIMER_RESTART: 1n,
};

/** The signed value of a flag entry; -1 when it is neither a number nor a known name. */
export function flagValue(text: string): bigint {
  if (/^[0-9]/.test(text)) return s64(strtoull(text));
  return NAMED_FLAGS[text] ?? -1n;
}

const bool = (v: boolean): bigint => (v ? 1n : 0n);

export class PrintArgEvaluator {
  private depth = 0;

  constructor(
    readonly sample: SampleData,
    private readonly lookup: FieldLookup,
  ) {}

  /** The field a `field` arg names (looked up again if it did not exist at parse time). */
  resolveField(arg: PrintArg): TracepointField | undefined {
    return arg.field ?? this.lookup.any(arg.fieldName ?? arg.text ?? '');
  }

  /** eval_num_arg(): the numeric value of an argument. */
  evalNum(arg: PrintArg): bigint {
    // Trees come from the bounded parser; this only guards hand-built ones.
    if (++this.depth > 4 * MAX_EXPRESSION_DEPTH) {
      this.depth--;
      return 0n;
    }
    try {
      return this.evalNumAt(arg);
    } finally {
      this.depth--;
    }
  }

  private evalNumAt(arg: PrintArg): bigint {
    const sample = this.sample;
    switch (arg.type) {
      case 'atom':
        // A name (a kernel symbol libtraceevent could look up) is 0: perf gives it no symbols.
        return strtoull(arg.text ?? '');
      case 'field': {
        const field = this.resolveField(arg);
        if (!field || field.offset + field.size > sample.size) return 0n;
        return sample.readNumber(field.offset, field.size);
      }
      case 'type':
        return arg.item ? castValue(this.evalNum(arg.item), arg.text ?? '', false) : 0n;
      case 'op':
        return this.evalOp(arg);
      case 'dynamic_array_len':
        return arg.field ? BigInt(sample.dynamicLocation(arg.field).length) : 0n;
      case 'dynamic_array':
        // libtraceevent yields a pointer into its own memory here; the offset is the closest
        // stable equivalent.
        return arg.field ? BigInt(sample.dynamicLocation(arg.field).offset) : 0n;
      default:
        return 0n;
    }
  }

  private evalOp(arg: PrintArg): bigint {
    const op = arg.op ?? '';
    if (op === '[') {
      const v = this.evalIndex(arg);
      if (v !== undefined) return v;
    } else if (op === '?') {
      const cond = arg.left ? this.evalNum(arg.left) : 0n;
      const branches = arg.right;
      const chosen = cond !== 0n ? branches?.left : branches?.right;
      return chosen ? this.evalNum(chosen) : 0n;
    }
    const left = arg.left ? this.evalNum(arg.left) : 0n;
    const right = arg.right ? this.evalNum(arg.right) : 0n;
    switch (op) {
      case '!':
        return bool(right === 0n);
      case '!=':
        return bool(left !== right);
      case '~':
        return u64(~right);
      case '|':
        return left | right;
      case '||':
        return bool(left !== 0n || right !== 0n);
      case '&':
        return left & right;
      case '&&':
        return bool(left !== 0n && right !== 0n);
      case '<':
        return bool(left < right);
      case '<<':
        return u64(left << (right & 63n));
      case '<=':
        return bool(left <= right);
      case '>':
        return bool(left > right);
      case '>>':
        return left >> (right & 63n);
      case '>=':
        return bool(left >= right);
      case '==':
        return bool(left === right);
      case '-':
        return u64(left - right);
      case '+':
        return u64(left + right);
      case '/':
        // C would trap on a zero divisor; there is no output to match, so 0.
        return right === 0n ? 0n : left / right;
      case '%':
        return right === 0n ? 0n : left % right;
      case '*':
        return u64(left * right);
      default:
        // Includes '^', which libtraceevent's evaluator does not know: the value is 0.
        return 0n;
    }
  }

  /** `array[index]`, possibly through casts; undefined when libtraceevent falls back to a plain op. */
  private evalIndex(arg: PrintArg): bigint | undefined {
    const sample = this.sample;
    const right = arg.right ? this.evalNum(arg.right) : 0n;
    let typeArg: PrintArg | undefined;
    let larg = arg.left;
    while (larg && larg.type === 'type') {
      typeArg ??= larg;
      larg = larg.item;
    }
    if (!larg) return undefined;
    let fieldSize = sample.context.longSize;
    let offset: bigint;
    if (larg.type === 'dynamic_array' && larg.field) {
      offset = BigInt(sample.dynamicLocation(larg.field).offset) + right;
      if (larg.field.elementSize) fieldSize = larg.field.elementSize;
    } else if (larg.type === 'field') {
      const field = this.resolveField(larg);
      if (!field) return 0n;
      fieldSize = field.elementSize;
      offset = BigInt(field.offset) + right * BigInt(field.elementSize);
    } else {
      return undefined;
    }
    // The C offset is an unsigned int.
    offset = offset & 0xffffffffn;
    if (offset + BigInt(fieldSize) > BigInt(sample.size)) return 0n;
    const val = sample.readNumber(Number(offset), fieldSize);
    return typeArg ? castValue(val, typeArg.text ?? '', true) : val;
  }

  /**
   * print_str_arg(): what `%s` (with `spec`, and `lenArg` for a `*`) prints for an argument.
   * The result is a byte string.
   */
  strArg(arg: PrintArg, spec: ConversionSpec, lenArg: number | undefined): string {
    const sample = this.sample;
    const str = (text: string): string => formatString(spec, text, lenArg);
    switch (arg.type) {
      case 'atom':
      case 'bstring':
        return str(arg.text ?? '');
      case 'field': {
        const field = this.resolveField(arg);
        if (!field) return '';
        // A long that is not an array is taken for a pointer to a kernel string.
        if (!field.isArray && field.size === sample.context.longSize) {
          const addr = sample.readNative(field.offset, field.size);
          return sample.context.printkStrings.get(addr) ?? addr.toString(16);
        }
        const len = field.size || sample.size - field.offset;
        return str(sample.cString(field.offset, field.offset + len));
      }
      case 'flags':
        return this.flagsText(arg, str);
      case 'symbol': {
        const val = s64(arg.value ? this.evalNum(arg.value) : 0n);
        const hit = (arg.symbols ?? []).find((f) => flagValue(f.value) === val);
        return hit ? str(hit.str) : '0x' + u64(val).toString(16);
      }
      case 'hex':
      case 'hex_str':
        return this.hexText(arg);
      case 'int_array':
        return this.intArrayText(arg);
      case 'string': {
        const field = this.lookup.any(arg.text ?? '');
        if (!field) return '';
        const { offset, length } = sample.dynamicLocation(field);
        // Zero-length dynamic strings print nothing, not even padding.
        if (!length) return '';
        return str(sample.cString(offset));
      }
      case 'bitmask':
      case 'cpumask': {
        const field = this.lookup.any(arg.text ?? '');
        if (!field) return '';
        const { offset, length } = sample.dynamicLocation(field);
        const bytes = sample.bytes.subarray(offset, offset + length);
        const big = sample.context.fileBigEndian;
        return str(arg.type === 'bitmask' ? bitmaskText(bytes, big) : cpumaskText(bytes, big));
      }
      case 'op': {
        // The only operator that can print a string is ?: .
        if (arg.op !== '?' || !arg.left) return '';
        const branch = this.evalNum(arg.left) !== 0n ? arg.right?.left : arg.right?.right;
        return branch ? this.strArg(branch, spec, lenArg) : '';
      }
      default:
        return '';
    }
  }

  private flagsText(arg: PrintArg, str: (text: string) => string): string {
    let val = s64(arg.value ? this.evalNum(arg.value) : 0n);
    let out = '';
    let printed = false;
    for (const flag of arg.symbols ?? []) {
      const fval = flagValue(flag.value);
      if (val === 0n && fval < 0n) {
        out += str(flag.str);
        break;
      }
      if (fval > 0n && (val & fval) === fval) {
        if (printed && arg.delim) out += arg.delim;
        out += str(flag.str);
        printed = true;
        val &= ~fval;
      }
    }
    if (val !== 0n) {
      if (printed && arg.delim) out += arg.delim;
      out += '0x' + u64(val).toString(16);
    }
    return out;
  }

  /** Where the bytes of a __print_hex / __print_array argument start. */
  private arrayStart(valueArg: PrintArg | undefined): number | undefined {
    if (!valueArg) return undefined;
    if (valueArg.type === 'dynamic_array' && valueArg.field) {
      return this.sample.dynamicLocation(valueArg.field).offset;
    }
    if (valueArg.type !== 'field') return undefined;
    return this.resolveField(valueArg)?.offset;
  }

  /** Element count from the record, limited to the bytes the record has. */
  private boundedCount(countArg: PrintArg | undefined, start: number, elementSize: number): number {
    const n = countArg ? this.evalNum(countArg) & 0xffffffffn : 0n;
    const available = BigInt(Math.max(0, Math.floor((this.sample.size - start) / elementSize)));
    return Number(n < available ? n : available);
  }

  private hexText(arg: PrintArg): string {
    const start = this.arrayStart(arg.value);
    if (start === undefined) return '';
    const n = this.boundedCount(arg.count, start, 1);
    const bytes: string[] = [];
    for (let i = 0; i < n; i++) {
      bytes.push(
        this.sample
          .byte(start + i)
          .toString(16)
          .padStart(2, '0'),
      );
    }
    return bytes.join(arg.type === 'hex' ? ' ' : '');
  }

  private intArrayText(arg: PrintArg): string {
    const start = this.arrayStart(arg.value);
    if (start === undefined) return '';
    const elSize = Number(BigInt.asIntN(32, arg.elementSize ? this.evalNum(arg.elementSize) : 0n));
    const good = (n: number): boolean => n === 1 || n === 2 || n === 4 || n === 8;
    const count = this.boundedCount(arg.count, start, good(elSize) ? elSize : 1);
    const parts: string[] = [];
    let size = elSize;
    let p = start;
    for (let i = 0; i < count && p < this.sample.size; i++) {
      if (good(size)) {
        parts.push('0x' + this.sample.readNative(p, size).toString(16));
        p += size;
      } else {
        // libtraceevent reports the bad size once, then goes on byte by byte.
        parts.push(`BAD SIZE:${size} 0x${this.sample.byte(p).toString(16)}`);
        size = 1;
        p += 1;
      }
    }
    return `{${parts.join(',')}}`;
  }
}
