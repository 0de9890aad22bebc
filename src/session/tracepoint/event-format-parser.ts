/**
 * Parses one event format file, as found in the tracing data and in
 * /sys/kernel/tracing/events/<system>/<event>/format:
 *
 *   name: sched_process_exec
 *   ID: 365
 *   format:
 *   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *   	...
 *
 *   	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
 *
 *   print fmt: "filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid
 *
 * Follows libtraceevent's parse_format(): a broken name, ID or field list is an error (perf
 * refuses the tracing data); a print fmt that does not parse only marks the event FAILED.
 */
import { strtoull } from './c-number';
import { FormatTextError } from './errors';
import type { TraceContext, TracepointField, TracepointFormat } from './event-format';
import { FieldLookup } from './field-lookup';
import { FormatTokenizer, type Token, type TokenType } from './format-tokenizer';
import { parsePrintFmt } from './print-fmt';

function expect(tok: Token, type: TokenType, text?: string): Token {
  if (tok.type !== type || (text !== undefined && tok.text !== text)) {
    const want = text !== undefined ? `'${text}'` : type;
    throw new FormatTextError(`expected ${want} but read ${tok.type} '${tok.text}'`, tok.offset);
  }
  return tok;
}

/** A header number such as the 8 of "offset:8;", which must fit an int. */
function headerNumber(tok: Token, what: string): number {
  const v = strtoull(tok.text);
  if (v > 0x7fffffffn) throw new FormatTextError(`${what} ${tok.text} is out of range`, tok.offset);
  return Number(v);
}

/** type_size(): element size of a `type[] name` dynamic array's element type. */
const DYNAMIC_ELEMENT_SIZES: Record<string, number> = {
  u8: 1,
  u16: 2,
  u32: 4,
  u64: 8,
  s8: 1,
  s16: 2,
  s32: 4,
  s64: 8,
  char: 1,
};

/**
 * One `field:TYPE NAME;	offset:N;	size:N;	signed:N;` line after its first token. Returns
 * undefined at the blank line that ends a field group.
 */
function readField(tz: FormatTokenizer, isFtrace: boolean, longSize: number) {
  let tok = tz.read();
  if (tok.type === 'newline') return undefined;
  expect(tok, 'item', 'field');
  tok = tz.read();
  // Some ftrace formats still say "field special:".
  if (isFtrace && tok.type === 'item' && tok.text === 'special') tok = tz.read();
  expect(tok, 'op', ':');
  let last = expect(tz.read(), 'item').text;
  let type: string | undefined;
  let isPointer = false;
  for (;;) {
    tok = tz.read();
    const typeWord =
      tok.type === 'item' ||
      (tok.type === 'op' && tok.text === '*') ||
      (isFtrace && tok.type === 'op' && tok.text === '.');
    if (typeWord) {
      if (tok.text === '*') isPointer = true;
      type = type === undefined ? last : `${type} ${last}`;
      last = tok.text;
      continue;
    }
    if (tok.type === 'delim' && last === '__attribute__' && tok.text === '(') {
      // __attribute__((user)) becomes part of the type.
      type = `${type ?? ''} ${last}(`;
      let depth = 1;
      let delim = ' ';
      for (;;) {
        tok = tz.read();
        if (tok.type === 'none') break;
        if (tok.type === 'delim') {
          if (tok.text === '(') depth++;
          else if (tok.text === ')') depth--;
          if (depth === 0) break;
          type += tok.text;
          delim = '';
        } else {
          type += delim + tok.text;
          delim = ' ';
        }
        last = tok.text;
      }
      continue;
    }
    break;
  }
  if (type === undefined) throw new FormatTextError('field has no type', tok.offset);
  let name = last;
  expect(tok, 'op');
  let isArray = false;
  let arrayLength = 0;
  let dynamicElementSize = 0;
  if (tok.text === '[') {
    isArray = true;
    let lastType = tok.type;
    let brackets = '[';
    tok = tz.read();
    arrayLength = tok.type === 'item' ? Number(strtoull(tok.text) & 0xffffffffn) : 0;
    while (tok.text !== ']') {
      brackets += (lastType === 'item' && tok.type === 'item' ? ' ' : '') + tok.text;
      lastType = tok.type;
      arrayLength = Number(strtoull(tok.text) & 0xffffffffn);
      tok = tz.read();
      if (tok.type === 'none') throw new FormatTextError('unterminated array size', tok.offset);
    }
    brackets += ']';
    tok = tz.read();
    if (tok.type === 'item') {
      // "__data_loc char[] filename": the word before [] was part of the type.
      type = `${type} ${name}${brackets}`;
      dynamicElementSize = DYNAMIC_ELEMENT_SIZES[name] ?? 0;
      name = tok.text;
      tok = tz.read();
    } else {
      type += brackets;
    }
  }
  let isString = isArray && (type.includes('char') || type.includes('u8') || type.includes('s8'));
  const isRelative = type.startsWith('__rel_loc');
  const isDynamic = type.startsWith('__data_loc') || isRelative;
  const isLong = type.includes('long');
  expect(tok, 'op', ';');
  expect(tz.read(), 'item', 'offset');
  expect(tz.read(), 'op', ':');
  const offset = headerNumber(expect(tz.read(), 'item'), 'offset');
  expect(tz.read(), 'op', ';');
  expect(tz.read(), 'item', 'size');
  expect(tz.read(), 'op', ':');
  const size = headerNumber(expect(tz.read(), 'item'), 'size');
  expect(tz.read(), 'op', ';');
  // Old kernels had dynamic strings with a 2-byte offset and no length.
  if (isDynamic && size === 2) {
    isString = true;
    isArray = true;
  }
  let signed = false;
  tok = tz.read();
  if (tok.type !== 'newline') {
    expect(tok, 'item', 'signed');
    expect(tz.read(), 'op', ':');
    signed = strtoull(expect(tz.read(), 'item').text) !== 0n;
    expect(tz.read(), 'op', ';');
    expect(tz.read(), 'newline');
  }
  let elementSize = size;
  if (isArray || isDynamic) {
    if (arrayLength) elementSize = Math.trunc(size / arrayLength);
    else if (isDynamic) elementSize = dynamicElementSize;
    else if (isString) elementSize = 1;
    else if (isLong) elementSize = longSize;
    else elementSize = 0;
  }
  const field: TracepointField = {
    name,
    type,
    offset,
    size,
    signed,
    isArray,
    arrayLength,
    elementSize,
    isString,
    isDynamic,
    isRelative,
    isPointer,
    isLong,
  };
  return field;
}

function readFieldGroup(tz: FormatTokenizer, isFtrace: boolean, longSize: number) {
  const fields: TracepointField[] = [];
  for (;;) {
    const field = readField(tz, isFtrace, longSize);
    if (!field) return fields;
    fields.push(field);
  }
}

/**
 * Parses the text of one event format file. `text` is a byte string (one char per byte);
 * `system` is the directory it came from ("sched", or "ftrace" for the ftrace formats).
 */
export function parseEventFormat(
  text: string,
  system: string,
  context: TraceContext,
): TracepointFormat {
  const tz = new FormatTokenizer(text);
  expect(tz.read(), 'item', 'name');
  expect(tz.read(), 'op', ':');
  const name = expect(tz.read(), 'item').text;
  const isFtrace = system === 'ftrace';

  expect(tz.readItem(), 'item', 'ID');
  expect(tz.read(), 'op', ':');
  const idTok = expect(tz.read(), 'item');
  const id = strtoull(idTok.text);
  if (id > 0x7fffffffn) throw new FormatTextError(`ID ${idTok.text} out of range`, idTok.offset);

  expect(tz.readItem(), 'item', 'format');
  expect(tz.read(), 'op', ':');
  expect(tz.read(), 'newline');
  const commonFields = readFieldGroup(tz, isFtrace, context.longSize);
  const fields = readFieldGroup(tz, isFtrace, context.longSize);
  const printFmt = parsePrintFmt(tz, new FieldLookup(commonFields, fields), {
    longSize: context.longSize,
    isFtrace,
  });
  return { id: Number(id), system, name, commonFields, fields, printFmt, context };
}
