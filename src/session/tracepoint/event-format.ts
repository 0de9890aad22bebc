import type { ConversionSpec } from './c-printf';

/**
 * The parsed form of a tracepoint's format file (events/<system>/<name>/format), as libtraceevent
 * builds it. Parsed once per recording, then used to format every sample of that tracepoint.
 */

export interface TracepointField {
  readonly name: string;
  /** The type as libtraceevent spells it: "pid_t", "char[16]", "__data_loc char[]". */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  readonly isArray: boolean;
  /** The declared array length (0 for `[]` and for non-arrays). */
  readonly arrayLength: number;
  readonly elementSize: number;
  /**
   * An array of char / u8 / s8. Mutable because libtraceevent clears it the first time such an
   * array does not print as text in a "[FAILED TO PARSE]" line, which changes later lines.
   */
  isString: boolean;
  /** `__data_loc` (or `__rel_loc`): the field holds a u32 (len << 16 | offset) into the record. */
  readonly isDynamic: boolean;
  /** `__rel_loc`: the offset counts from the end of the field itself. */
  readonly isRelative: boolean;
  readonly isPointer: boolean;
  /** The type contains "long". */
  readonly isLong: boolean;
}

/** Tracing-data facts every event of a recording shares. */
export interface TraceContext {
  /** sizeof(long) of the traced kernel: the header_page "commit" field size. */
  readonly longSize: number;
  readonly fileBigEndian: boolean;
  /** Kernel string addresses (ftrace printk formats) by address, for `%s` of a pointer field. */
  readonly printkStrings: ReadonlyMap<bigint, string>;
}

/** One `{ value, "name" }` pair of __print_flags / __print_symbolic. */
export interface FlagSymbol {
  readonly value: string;
  readonly str: string;
}

export type PrintArgType =
  | 'null'
  | 'atom'
  | 'field'
  | 'flags'
  | 'symbol'
  | 'hex'
  | 'int_array'
  | 'type'
  | 'string'
  | 'bstring'
  | 'dynamic_array'
  | 'op'
  | 'func'
  | 'bitmask'
  | 'dynamic_array_len'
  | 'hex_str'
  | 'cpumask';

/** libtraceevent's enum tep_print_arg_type numbers, which it prints in some error texts. */
export const PRINT_ARG_TYPE_NUMBER: Record<PrintArgType, number> = {
  null: 0,
  atom: 1,
  field: 2,
  flags: 3,
  symbol: 4,
  hex: 5,
  int_array: 6,
  type: 7,
  string: 8,
  bstring: 9,
  dynamic_array: 10,
  op: 11,
  func: 12,
  bitmask: 13,
  dynamic_array_len: 14,
  hex_str: 15,
  cpumask: 16,
};

/**
 * One node of a print fmt argument (struct tep_print_arg). A single mutable shape rather than a
 * union because the parser rewrites nodes in place (operator rotation, typecasts) as
 * libtraceevent does, and the tree it ends up with decides the printed values.
 */
export interface PrintArg {
  type: PrintArgType;
  /** atom: the text; type: the cast type; string / bitmask / cpumask: the field name. */
  text?: string;
  /** field: the field name, resolved when it exists. */
  fieldName?: string;
  field?: TracepointField;
  /** op: the operator, its operands and priority. */
  op?: string;
  left?: PrintArg;
  right?: PrintArg;
  prio?: number;
  /** type: the casted expression. */
  item?: PrintArg;
  /** flags / symbol / hex / int_array: the value expression. */
  value?: PrintArg;
  delim?: string;
  symbols?: FlagSymbol[];
  /** hex: byte count; int_array: element count. */
  count?: PrintArg;
  elementSize?: PrintArg;
}

export type PrintItemKind = 'literal' | 'number' | 'pointer' | 'string';

/** One piece of the print fmt string: literal text or a conversion with its argument. */
export interface PrintItem {
  readonly kind: PrintItemKind;
  /** literal: the unescaped text; otherwise the conversion spec ("%-16s", "%lu", "%pS"). */
  readonly format: string;
  /** The parsed conversion spec (not for literals). */
  readonly spec?: ConversionSpec;
  readonly arg?: PrintArg;
  /** The `*` width / precision argument. */
  readonly lenArg?: PrintArg;
  /** Length modifier count: -2 hh, -1 h, 0 none, 1 l / z, 2 ll / L. */
  readonly ls: number;
}

export interface PrintFmt {
  /** The format string as written (escapes not yet applied). */
  readonly format: string;
  readonly args: readonly PrintArg[];
  readonly items: readonly PrintItem[];
  /**
   * Why libtraceevent would mark this event FAILED (print fmt did not parse, or its conversions
   * do not match its arguments): every sample then prints "[FAILED TO PARSE]" and raw fields.
   */
  readonly failure?: string;
}

export interface TracepointFormat {
  /** The `ID:` line: equals perf_event_attr.config of the tracepoint event. */
  readonly id: number;
  readonly system: string;
  readonly name: string;
  readonly commonFields: readonly TracepointField[];
  readonly fields: readonly TracepointField[];
  readonly printFmt: PrintFmt;
  readonly context: TraceContext;
}
