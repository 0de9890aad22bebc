/**
 * The `print fmt:` line of an event format: parsing it (libtraceevent's event_read_print plus
 * parse_args) and printing it for one sample (pretty_print). For
 *
 *   print fmt: "comm=%s pid=%d prio=%d group_dead=%s", REC->comm, REC->pid, REC->prio,
 *              REC->group_dead ? "true" : "false"
 *
 * and a sched_process_exit record this prints "comm=sh pid=28603 prio=120 group_dead=true".
 * Text is handled as byte strings (one char per byte); format-sample.ts decodes the result.
 */
import { formatInteger } from './c-printf';
import { FormatTextError } from './errors';
import type { PrintArg, PrintFmt, PrintItem } from './event-format';
import type { FieldLookup } from './field-lookup';
import { FormatTokenizer, type Token } from './format-tokenizer';
import { PrintArgParser } from './print-fmt-args';
import type { PrintArgEvaluator } from './print-fmt-eval';
import { buildPrintItems } from './print-fmt-items';
import { pointerText } from './pointer-formats';

export interface PrintFmtOptions {
  /** sizeof(long) of the traced kernel. */
  readonly longSize: number;
  /** An ftrace event (system "ftrace"): with no arguments, all fields become the arguments. */
  readonly isFtrace?: boolean;
}

function expectToken(tok: Token, type: Token['type'], text?: string): Token {
  if (tok.type !== type || (text !== undefined && tok.text !== text)) {
    const want = text !== undefined ? `'${text}'` : type;
    throw new FormatTextError(`expected ${want} but read ${tok.type} '${tok.text}'`, tok.offset);
  }
  return tok;
}

/** Reads `print fmt: "..." , args` and the argument trees. */
function readPrintFmt(
  tz: FormatTokenizer,
  lookup: FieldLookup,
  options: PrintFmtOptions,
): { format: string; args: PrintArg[] } {
  expectToken(tz.readItem(), 'item', 'print');
  expectToken(tz.read(), 'item', 'fmt');
  expectToken(tz.read(), 'op', ':');
  let format = expectToken(tz.read(), 'dquote').text;
  for (;;) {
    const tok = tz.readItem();
    if (tok.type === 'none') return { format, args: [] };
    if (tok.type === 'dquote') {
      format += tok.text;
      continue;
    }
    expectToken(tok, 'delim', ',');
    break;
  }
  const args = new PrintArgParser(tz, lookup, { longSize: options.longSize }).readArgs();
  return { format, args };
}

/**
 * Parses the print fmt that `tz` is positioned at (after the field list of a format file).
 * Never throws for a bad print fmt: the result then carries `failure`, as libtraceevent marks
 * the event FAILED and still decodes its fields.
 */
export function parsePrintFmt(
  tz: FormatTokenizer,
  lookup: FieldLookup,
  options: PrintFmtOptions,
): PrintFmt {
  let format = '';
  let args: PrintArg[];
  try {
    ({ format, args } = readPrintFmt(tz, lookup, options));
  } catch (e) {
    if (!(e instanceof FormatTextError)) throw e;
    return { format, args: [], items: [], failure: e.message };
  }
  if (options.isFtrace && args.length === 0) {
    // Old ftrace formats had no arguments: print every field.
    args = lookup.fields.map((field) => ({ type: 'field', fieldName: field.name, field }));
  }
  const { items, failure } = buildPrintItems(format, args);
  return failure === undefined ? { format, args, items } : { format, args, items, failure };
}

/**
 * Parses a print fmt given as text, e.g.
 * `print fmt: "pid=%d", REC->pid` (the "print fmt:" prefix is required).
 */
export function parsePrintFmtText(text: string, lookup: FieldLookup, options: PrintFmtOptions) {
  return parsePrintFmt(new FormatTokenizer(text), lookup, options);
}

/** ls (the length modifier count) to the width in bits printf reads. */
function lengthBits(ls: number): number {
  switch (ls) {
    case -2:
      return 8;
    case -1:
      return 16;
    case 0:
      return 32;
    default:
      return 64;
  }
}

function itemText(ev: PrintArgEvaluator, item: PrintItem): string {
  if (item.kind === 'literal' || !item.arg || !item.spec) return item.format;
  // The `*` argument is a C int.
  const lenArg = item.lenArg ? Number(BigInt.asIntN(32, ev.evalNum(item.lenArg))) : undefined;
  switch (item.kind) {
    case 'number':
      return formatInteger(item.spec, ev.evalNum(item.arg), lengthBits(item.ls), lenArg);
    case 'pointer':
      return pointerText(ev, item.format, item.arg, lenArg ?? 1);
    case 'string':
      return ev.strArg(item.arg, item.spec, lenArg);
  }
}

/** Prints a parsed, non-failed print fmt for one sample (as a byte string). */
export function renderPrintFmt(printFmt: PrintFmt, ev: PrintArgEvaluator): string {
  let out = '';
  for (const item of printFmt.items) out += itemText(ev, item);
  return out;
}
