/**
 * Builds the argument trees of a print fmt the way libtraceevent's process_arg / process_op do.
 * The precedence handling is theirs, quirks included (for example `a - b - c` groups as
 * `a - (b - c)`, and a parenthesised right operand can be re-associated): perf prints what that
 * tree evaluates to, so we build the same tree.
 *
 * Input is the argument list after the format string, e.g.
 *   , REC->comm, REC->pid, REC->prio, REC->group_dead ? "true" : "false"
 * Any error makes the whole print fmt fail (the event prints "[FAILED TO PARSE]").
 */
import { s64, strtoll, strtoull, u64 } from './c-number';
import { castValue } from './c-types';
import { FormatTextError } from './errors';
import type { FlagSymbol, PrintArg } from './event-format';
import type { FieldLookup } from './field-lookup';
import type { FormatTokenizer, Token, TokenType } from './format-tokenizer';

const BINARY_OPS = new Set([
  '>>',
  '<<',
  '&',
  '|',
  '&&',
  '||',
  '-',
  '+',
  '*',
  '^',
  '/',
  '%',
  '<',
  '>',
  '<=',
  '>=',
  '==',
  '!=',
]);

/** get_op_prio(): smaller binds tighter; -1 for an unknown operator. */
export function opPriority(op: string): number {
  if (op.length === 1) {
    switch (op) {
      case '~':
      case '!':
        return 4;
      case '*':
      case '/':
      case '%':
        return 6;
      case '+':
      case '-':
        return 7;
      case '<':
      case '>':
        return 9;
      case '&':
        return 11;
      case '^':
        return 12;
      case '|':
        return 13;
      case '?':
        return 16;
      default:
        return -1;
    }
  }
  switch (op) {
    case '++':
    case '--':
      return 3;
    case '>>':
    case '<<':
      return 8;
    case '>=':
    case '<=':
      return 9;
    case '==':
    case '!=':
      return 10;
    case '&&':
      return 14;
    case '||':
      return 15;
    default:
      return -1;
  }
}

/** Makes `target` hold what `source` holds (a C struct assignment `*target = *source`). */
function assignArg(target: PrintArg, source: PrintArg): void {
  for (const key of Object.keys(target)) delete (target as unknown as Record<string, unknown>)[key];
  Object.assign(target, source);
}

function newArg(): PrintArg {
  return { type: 'null' };
}

/** The item-like token types (event_item_type). */
function isItemType(t: TokenType): boolean {
  return t === 'item' || t === 'dquote' || t === 'squote';
}

/**
 * Nesting limit for print fmt expressions. Real formats nest a dozen levels; this keeps a
 * hostile one from exhausting the stack (the parser and evaluator recurse as libtraceevent's do).
 */
export const MAX_EXPRESSION_DEPTH = 256;

export interface PrintArgParserOptions {
  /** sizeof(long) of the traced kernel, for sizeof(long). */
  readonly longSize: number;
}

export class PrintArgParser {
  private depth = 0;

  constructor(
    private readonly tz: FormatTokenizer,
    private readonly lookup: FieldLookup,
    private readonly options: PrintArgParserOptions,
  ) {}

  private fail(detail: string, tok?: Token): never {
    throw new FormatTextError(detail, tok?.offset ?? this.tz.offset);
  }

  private expect(tok: Token, type: TokenType, text?: string): Token {
    if (tok.type !== type || (text !== undefined && tok.text !== text)) {
      const want = text !== undefined ? `'${text}'` : type;
      this.fail(`expected ${want} but read ${tok.type} '${tok.text}'`, tok);
    }
    return tok;
  }

  /** event_read_print_args(): the comma-separated argument list. */
  readArgs(): PrintArg[] {
    const args: PrintArg[] = [];
    let tok: Token = { type: 'none', text: '', offset: this.tz.offset };
    let first = true;
    do {
      if (!first && tok.type === 'newline') {
        tok = this.tz.readItem();
        continue;
      }
      first = false;
      const arg = newArg();
      tok = this.processArg(arg);
      args.push(arg);
      if (tok.type === 'op') {
        // The token that ends an operator expression is dropped, whatever it is.
        tok = this.processOp(arg, tok);
        consolidate(arg);
        continue;
      }
      if (tok.type === 'delim' && tok.text === ',') continue;
      break;
    } while (tok.type !== 'none');
    return args;
  }

  private processArg(arg: PrintArg): Token {
    return this.processArgToken(arg, this.tz.read());
  }

  private processArgToken(arg: PrintArg, tok: Token): Token {
    return this.nested(tok, () => this.processArgTokenAt(arg, tok));
  }

  private nested(tok: Token, parse: () => Token): Token {
    if (++this.depth > MAX_EXPRESSION_DEPTH) this.fail('expression nested too deeply', tok);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private processArgTokenAt(arg: PrintArg, tok: Token): Token {
    switch (tok.type) {
      case 'item': {
        if (tok.text === 'REC') return this.processEntry(arg);
        let atom = tok.text;
        let next = this.tz.readItem();
        if (next.type === 'delim' && next.text === '(') return this.processFunction(arg, tok);
        // Atoms can be several words: "unsigned long".
        while (next.type === 'item') {
          atom += ' ' + next.text;
          next = this.tz.readItem();
        }
        assignArg(arg, { type: 'atom', text: atom });
        return next;
      }
      case 'squote':
        // A character constant becomes its number.
        assignArg(arg, { type: 'atom', text: String(tok.text.charCodeAt(0) || 0) });
        return this.tz.readItem();
      case 'dquote':
        assignArg(arg, { type: 'atom', text: tok.text });
        return this.tz.readItem();
      case 'delim':
      case 'op':
        if (tok.type === 'delim' && tok.text === '(') return this.processParen(arg);
        // A prefix operator (a stray ) or , lands here too and is refused by processOp).
        assignArg(arg, { type: 'op', op: tok.text, prio: 0 });
        return this.processOp(arg, tok);
      default:
        return this.fail(`unexpected ${tok.type} token '${tok.text}'`, tok);
    }
  }

  /** process_op(): `arg` holds the left operand (or is a prefix operator node). */
  private processOp(arg: PrintArg, opTok: Token): Token {
    return this.nested(opTok, () => this.processOpAt(arg, opTok));
  }

  private processOpAt(arg: PrintArg, opTok: Token): Token {
    const token = opTok.text;
    let right: PrintArg | undefined;
    let next: Token;
    if (arg.type === 'op' && !arg.left) {
      // Prefix operator.
      if (!['~', '!', '+', '-'].includes(token[0] ?? '') || token.length > 1) {
        this.fail(`bad op token ${token}`, opTok);
      }
      arg.left = newArg();
      right = newArg();
      arg.right = right;
      next = this.processArg(right);
    } else if (token === '?') {
      const left = { ...arg };
      assignArg(arg, { type: 'op', op: '?', left, prio: 0 });
      next = this.processCond(arg);
    } else if (BINARY_OPS.has(token)) {
      const left = { ...arg };
      assignArg(arg, { type: 'op', op: token, left });
      arg.prio = left.type === 'null' ? 0 : opPriority(token);
      if (arg.prio === -1) this.fail(`unknown op '${token}'`, opTok);
      next = this.tz.readItem();
      if (token === '*' && next.type === 'delim' && next.text === ')') {
        // "(char *)": a pointer type in a cast, not a multiplication.
        if (left.type !== 'atom') this.fail('bad pointer type', opTok);
        left.text = `${left.text ?? ''} *`;
        assignArg(arg, left);
        return next;
      }
      right = newArg();
      next = this.processArgToken(right, next);
      if (right.type === 'op' && opPriority(arg.op ?? '') < opPriority(right.op ?? '')) {
        // Rotate so that the looser operator is on top.
        arg.right = right.left;
        const tmp = { ...arg };
        assignArg(arg, right);
        assignArg(right, tmp);
        arg.left = right;
      } else {
        arg.right = right;
      }
    } else if (token === '[') {
      const left = { ...arg };
      assignArg(arg, { type: 'op', op: '[', left, prio: 0 });
      next = this.processArray(arg);
    } else {
      return this.fail(`unknown op '${token}'`, opTok);
    }

    if (next.type === 'op' && next.text !== ':') {
      const prio = opPriority(next.text);
      if (prio < 0) this.fail(`unknown op '${next.text}'`, next);
      if (prio > (arg.prio ?? 0) || right === undefined) return this.processOp(arg, next);
      return this.processOp(right, next);
    }
    return next;
  }

  /** process_cond(): `cond ? a : b`; `top` already holds the condition on its left. */
  private processCond(top: PrintArg): Token {
    const left = newArg();
    const right = newArg();
    const colon: PrintArg = { type: 'op', left, right, prio: 0 };
    let tok = this.processArg(left);
    while (tok.type === 'op' && tok.text !== ':') tok = this.processOp(left, tok);
    this.expect(tok, 'op', ':');
    colon.op = ':';
    tok = this.processArg(right);
    top.right = colon;
    return tok;
  }

  /** process_array(): `x[index]`. */
  private processArray(top: PrintArg): Token {
    const index = newArg();
    const tok = this.processArg(index);
    this.expect(tok, 'op', ']');
    top.right = index;
    return this.tz.readItem();
  }

  /** process_entry(): `REC->field`. */
  private processEntry(arg: PrintArg): Token {
    const tok = this.tz.readItem();
    // "(REC)->field": the caller sees this marker and calls us again.
    if (tok.type === 'delim' && tok.text === ')') return { ...tok, type: 'item' };
    this.expect(tok, 'op', '->');
    const name = this.expect(this.tz.read(), 'item').text;
    assignArg(arg, { type: 'field', fieldName: name, field: this.lookup.any(name) });
    return this.tz.read();
  }

  /** process_paren(): a parenthesised expression, or a cast when a value follows. */
  private processParen(arg: PrintArg): Token {
    let tok = this.processArg(arg);
    if (tok.type === 'op') tok = this.processOp(arg, tok);
    if (tok.type === 'item' && tok.text === ')') return this.processEntry(arg);
    this.expect(tok, 'delim', ')');
    tok = this.tz.readItem();
    if (isItemType(tok.type) || (tok.type === 'delim' && tok.text === '(')) {
      if (arg.type !== 'atom') this.fail('a cast needs a type name', tok);
      const item = newArg();
      assignArg(arg, { type: 'type', text: arg.text ?? '', item });
      tok = this.processArgToken(item, tok);
    }
    return tok;
  }

  private processFunction(arg: PrintArg, nameTok: Token): Token {
    switch (nameTok.text) {
      case '__print_flags':
        return this.processFlags(arg);
      case '__print_symbolic':
        return this.processSymbols(arg);
      case '__print_hex':
        return this.processHex(arg, 'hex');
      case '__print_hex_str':
        return this.processHex(arg, 'hex_str');
      case '__print_array':
        return this.processIntArray(arg);
      case '__get_str':
      case '__get_rel_str':
        return this.processNamedField(arg, 'string');
      case '__get_bitmask':
      case '__get_rel_bitmask':
        return this.processNamedField(arg, 'bitmask');
      case '__get_cpumask':
      case '__get_rel_cpumask':
        return this.processNamedField(arg, 'cpumask');
      case '__get_dynamic_array':
      case '__get_rel_dynamic_array':
      case '__get_sockaddr':
      case '__get_sockaddr_rel':
        return this.processDynamicArray(arg);
      case '__get_dynamic_array_len':
      case '__get_rel_dynamic_array_len':
        return this.processDynamicArrayLen(arg);
      case '__builtin_expect':
        return this.processBuiltinExpect(arg);
      case 'sizeof':
        return this.processSizeof(arg);
      default:
        // Functions come from plugins, and perf 6.1 here loads none (see README).
        return this.fail(`function ${nameTok.text} not defined`, nameTok);
    }
  }

  /** The first argument of __print_flags / __print_symbolic, operators included. */
  private processFieldArg(arg: PrintArg): Token {
    let tok = this.processArg(arg);
    while (tok.type === 'op') tok = this.processOp(arg, tok);
    return tok;
  }

  private processFlags(arg: PrintArg): Token {
    const value = newArg();
    let tok = this.processFieldArg(value);
    this.expect(tok, 'delim', ',');
    let delim: string | undefined;
    tok = this.tz.readItem();
    if (isItemType(tok.type)) {
      delim = tok.text;
      tok = this.tz.readItem();
    }
    this.expect(tok, 'delim', ',');
    const symbols: FlagSymbol[] = [];
    tok = this.processFields(symbols);
    this.expect(tok, 'delim', ')');
    assignArg(arg, { type: 'flags', value, delim, symbols });
    return this.tz.readItem();
  }

  private processSymbols(arg: PrintArg): Token {
    const value = newArg();
    let tok = this.processFieldArg(value);
    this.expect(tok, 'delim', ',');
    const symbols: FlagSymbol[] = [];
    tok = this.processFields(symbols);
    this.expect(tok, 'delim', ')');
    assignArg(arg, { type: 'symbol', value, symbols });
    return this.tz.readItem();
  }

  /** process_fields(): `{ value, "name" }, ...` with both sides folded to text at parse time. */
  private processFields(list: FlagSymbol[]): Token {
    let tok: Token;
    do {
      tok = this.tz.readItem();
      if (tok.type !== 'op' || tok.text !== '{') break;
      const valueArg = newArg();
      tok = this.processArg(valueArg);
      if (tok.type === 'op') tok = this.processOp(valueArg, tok);
      this.expect(tok, 'delim', ',');
      const value = argEval(valueArg);
      if (value === undefined) this.fail('flag value is not a constant', tok);
      const strArg = newArg();
      tok = this.processArg(strArg);
      this.expect(tok, 'op', '}');
      const str = argEval(strArg);
      if (str === undefined) this.fail('flag name is not a constant', tok);
      list.push({ value, str });
      tok = this.tz.readItem();
    } while (tok.type === 'delim' && tok.text === ',');
    return tok;
  }

  /** alloc_and_process_delim(): one function argument (operators allowed) up to `end`. */
  private delimitedArg(end: string): PrintArg {
    const arg = newArg();
    let tok = this.processArg(arg);
    if (tok.type === 'op') {
      tok = this.processOp(arg, tok);
      consolidate(arg);
    }
    this.expect(tok, 'delim', end);
    return arg;
  }

  private processHex(arg: PrintArg, type: 'hex' | 'hex_str'): Token {
    const value = this.delimitedArg(',');
    const count = this.delimitedArg(')');
    assignArg(arg, { type, value, count });
    return this.tz.readItem();
  }

  private processIntArray(arg: PrintArg): Token {
    const value = this.delimitedArg(',');
    const count = this.delimitedArg(',');
    const elementSize = this.delimitedArg(')');
    assignArg(arg, { type: 'int_array', value, count, elementSize });
    return this.tz.readItem();
  }

  /** __get_str(field), __get_bitmask(field), __get_cpumask(field). */
  private processNamedField(arg: PrintArg, type: 'string' | 'bitmask' | 'cpumask'): Token {
    const name = this.expect(this.tz.read(), 'item').text;
    this.expect(this.tz.read(), 'delim', ')');
    assignArg(arg, { type, text: name });
    return this.tz.read();
  }

  private processDynamicArray(arg: PrintArg): Token {
    const nameTok = this.expect(this.tz.read(), 'item');
    const field = this.lookup.own(nameTok.text);
    if (!field) this.fail(`no field ${nameTok.text}`, nameTok);
    assignArg(arg, { type: 'dynamic_array', fieldName: nameTok.text, field });
    this.expect(this.tz.read(), 'delim', ')');
    let tok = this.tz.readItem();
    if (tok.type !== 'op' || tok.text !== '[') return tok;
    // libtraceevent refuses an index written right after the call ([ ... ] parses, then fails).
    tok = this.processArg(newArg());
    if (tok.type === 'op' && tok.text === ']') this.fail('indexed __get_dynamic_array', tok);
    return this.tz.readItem();
  }

  private processDynamicArrayLen(arg: PrintArg): Token {
    const nameTok = this.expect(this.tz.read(), 'item');
    const field = this.lookup.own(nameTok.text);
    if (!field) this.fail(`no field ${nameTok.text}`, nameTok);
    assignArg(arg, { type: 'dynamic_array_len', fieldName: nameTok.text, field });
    this.expect(this.tz.read(), 'delim', ')');
    return this.tz.read();
  }

  /** __builtin_expect(cond, N) is just cond. */
  private processBuiltinExpect(arg: PrintArg): Token {
    const tok = this.processArg(arg);
    if (tok.type !== 'delim' || tok.text !== ',') this.fail('bad __builtin_expect', tok);
    this.expect(this.tz.read(), 'item');
    this.expect(this.tz.read(), 'delim', ')');
    return this.tz.readItem();
  }

  /** sizeof(): the few types libtraceevent knows, and sizeof(REC->field). */
  private processSizeof(arg: PrintArg): Token {
    let tok = this.tz.readItem();
    let hasParen = false;
    let size: string | undefined;
    if (tok.text === 'unsigned') {
      tok = this.tz.readItem();
      if (tok.type !== 'item') hasParen = true;
    }
    const t = tok.text;
    if (hasParen || t === 'int') size = '4';
    else if (t === 'long') {
      tok = this.tz.readItem();
      if (tok.text === 'long') size = '8';
      else {
        if (this.options.longSize !== 4 && this.options.longSize !== 8)
          this.fail('sizeof(long)', tok);
        size = String(this.options.longSize);
        hasParen = true;
      }
    } else if (['__u64', 'u64', '__s64', 's64'].includes(t)) size = '8';
    else if (['__u32', 'u32', '__s32', 's32'].includes(t)) size = '4';
    else if (['__u16', 'u16', '__s16', 's16'].includes(t)) size = '2';
    else if (['__u8', 'u8', '__8', 's8'].includes(t)) size = '1';
    else if (t === 'REC') {
      this.expect(this.tz.readItem(), 'op', '->');
      const nameTok = this.expect(this.tz.read(), 'item');
      const field = this.lookup.any(nameTok.text);
      if (!field || field.isArray) this.fail(`sizeof of ${nameTok.text}`, nameTok);
      size = String(field.size);
    } else {
      this.fail(`sizeof(${t})`, tok);
    }
    if (!hasParen) tok = this.tz.readItem();
    this.expect(tok, 'delim', ')');
    assignArg(arg, { type: 'atom', text: size });
    return this.tz.readItem();
  }
}

/**
 * consolidate_op_arg(): folds operators whose operands are both atoms into one atom, as
 * libtraceevent does right after parsing (this changes what `%s` of such an expression prints).
 */
export function consolidate(arg: PrintArg): void {
  if (arg.type !== 'op') return;
  if (arg.left) consolidate(arg.left);
  if (arg.right) consolidate(arg.right);
  const { left: l, right: r } = arg;
  if (!l || !r || l.type !== 'atom' || r.type !== 'atom') return;
  const left = strtoull(l.text ?? '');
  const right = strtoull(r.text ?? '');
  const op = arg.op ?? '';
  let val: bigint;
  switch (op[0]) {
    case '>':
      val =
        op[1] === '>' ? left >> (right & 63n) : op[1] === '=' ? b(left >= right) : b(left > right);
      break;
    case '<':
      val =
        op[1] === '<' ? left << (right & 63n) : op[1] === '=' ? b(left <= right) : b(left < right);
      break;
    case '&':
      val = op[1] === '&' ? b(left !== 0n && right !== 0n) : left & right;
      break;
    case '|':
      val = op[1] === '|' ? b(left !== 0n || right !== 0n) : left | right;
      break;
    case '-':
      val = left - right;
      break;
    case '+':
      val = left + right;
      break;
    case '*':
      val = left * right;
      break;
    case '^':
      val = left ^ right;
      break;
    case '/':
      if (right === 0n) return; // C would trap; leave it for evaluation (which yields 0)
      val = left / right;
      break;
    case '%':
      if (right === 0n) return;
      val = left % right;
      break;
    case '=':
      val = b(left === right);
      break;
    case '!':
      val = b(left !== right);
      break;
    default:
      return;
  }
  assignArg(arg, { type: 'atom', text: s64(u64(val)).toString() });
}

function b(v: boolean): bigint {
  return v ? 1n : 0n;
}

/** arg_eval(): the constant text of a flag value or name, undefined when not constant. */
function argEval(arg: PrintArg): string | undefined {
  switch (arg.type) {
    case 'atom':
      return arg.text ?? '';
    case 'type':
      return arg.item ? argEval(arg.item) : undefined;
    case 'op': {
      const v = argNumEval(arg);
      return v === undefined ? undefined : v.toString();
    }
    default:
      return undefined;
  }
}

/** arg_num_eval(): signed constant folding with the operators libtraceevent supports there. */
function argNumEval(arg: PrintArg): bigint | undefined {
  switch (arg.type) {
    case 'atom':
      return strtoll(arg.text ?? '');
    case 'type': {
      const v = arg.item ? argNumEval(arg.item) : undefined;
      return v === undefined ? undefined : s64(castValue(v, arg.text ?? '', false));
    }
    case 'op':
      break;
    default:
      return undefined;
  }
  const op = arg.op ?? '';
  const side = (a: PrintArg | undefined, nullIsZero: boolean): bigint | undefined => {
    if (!a) return undefined;
    if (nullIsZero && a.type === 'null') return 0n;
    return argNumEval(a);
  };
  const unaryOk = op === '-' || op === '+';
  const right = side(arg.right, false);
  if (op === '~') return right === undefined ? undefined : s64(~right);
  const left = side(arg.left, unaryOk);
  if (left === undefined || right === undefined) return undefined;
  let v: bigint;
  switch (op) {
    case '|':
      v = left | right;
      break;
    case '||':
      v = b(left !== 0n || right !== 0n);
      break;
    case '&':
      v = left & right;
      break;
    case '&&':
      v = b(left !== 0n && right !== 0n);
      break;
    case '<':
      v = b(left < right);
      break;
    case '<<':
      v = left << (u64(right) & 63n);
      break;
    case '<=':
      v = b(left <= right);
      break;
    case '>':
      v = b(left > right);
      break;
    case '>>':
      v = left >> (u64(right) & 63n);
      break;
    case '>=':
      v = b(left >= right);
      break;
    case '==':
      v = b(left === right);
      break;
    case '!=':
      v = b(left !== right);
      break;
    case '-':
      v = left - right;
      break;
    case '+':
      v = left + right;
      break;
    default:
      return undefined;
  }
  return s64(v);
}
