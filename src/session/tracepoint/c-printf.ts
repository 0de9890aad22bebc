/**
 * One printf conversion, as glibc formats it, for the conversions libtraceevent hands to
 * trace_seq_printf: d i u x X o c s. Text is a "byte string" (one char per byte, see
 * format-sample.ts), so lengths and precisions count bytes as C does.
 */

/** Widths and precisions come from the recording; cap them so a hostile one cannot make us
 * allocate gigabytes (perf would print them in full; no real event format comes near this). */
export const MAX_PRINTF_WIDTH = 4096;

export interface ConversionSpec {
  readonly minus: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly hash: boolean;
  readonly zero: boolean;
  /** A number, 'arg' for `*`, or undefined. */
  readonly width: number | 'arg' | undefined;
  readonly precision: number | 'arg' | undefined;
  /** The conversion character (last character of the spec). */
  readonly conversion: string;
}

/** Parses a spec such as `%-*.5lld` (flags, width, precision, length, conversion). */
export function parseConversionSpec(spec: string): ConversionSpec {
  let i = 1;
  let minus = false;
  let plus = false;
  let space = false;
  let hash = false;
  let zero = false;
  for (; i < spec.length; i++) {
    const c = spec[i];
    if (c === '-') minus = true;
    else if (c === '+') plus = true;
    else if (c === ' ') space = true;
    else if (c === '#') hash = true;
    else if (c === '0') zero = true;
    else break;
  }
  const readCount = (): number | 'arg' | undefined => {
    if (spec[i] === '*') {
      i++;
      return 'arg';
    }
    const start = i;
    while (i < spec.length && /[0-9]/.test(spec[i] ?? '')) i++;
    return i > start ? Math.min(Number(spec.slice(start, i)), MAX_PRINTF_WIDTH) : undefined;
  };
  const width = readCount();
  let precision: number | 'arg' | undefined;
  if (spec[i] === '.') {
    i++;
    precision = readCount() ?? 0;
  }
  return {
    minus,
    plus,
    space,
    hash,
    zero,
    width,
    precision,
    conversion: spec[spec.length - 1] ?? '',
  };
}

interface Resolved {
  minus: boolean;
  width: number;
  precision: number | undefined;
}

/** Applies a `*` argument: a negative width means left-justify, a negative precision none. */
function resolve(spec: ConversionSpec, lenArg: number | undefined): Resolved {
  let minus = spec.minus;
  let width = 0;
  let precision: number | undefined;
  const arg = Math.max(-MAX_PRINTF_WIDTH, Math.min(MAX_PRINTF_WIDTH, lenArg ?? 0));
  if (spec.width === 'arg') {
    if (arg < 0) minus = true;
    width = Math.abs(arg);
  } else {
    width = spec.width ?? 0;
  }
  if (spec.precision === 'arg') precision = arg < 0 ? undefined : arg;
  else precision = spec.precision;
  return { minus, width, precision };
}

function pad(body: string, width: number, minus: boolean): string {
  if (body.length >= width) return body;
  return minus ? body.padEnd(width, ' ') : body.padStart(width, ' ');
}

/**
 * Formats an integer. `bits` is the width of the C type printf reads (8 for hh, 16 for h, 32
 * without modifier, 64 for l / ll / z): the value is reinterpreted at that width, signed for d and
 * i, unsigned otherwise, exactly as a varargs call would.
 */
export function formatInteger(
  spec: ConversionSpec,
  value: bigint,
  bits: number,
  lenArg?: number,
): string {
  const { minus, width, precision } = resolve(spec, lenArg);
  const conv = spec.conversion;
  if (conv === 'c') {
    return pad(String.fromCharCode(Number(BigInt.asUintN(8, value))), width, minus);
  }
  const signed = conv === 'd' || conv === 'i';
  const v = signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
  const negative = v < 0n;
  const magnitude = negative ? -v : v;
  const radix = conv === 'x' || conv === 'X' ? 16 : conv === 'o' ? 8 : 10;
  let digits = magnitude.toString(radix);
  if (conv === 'X') digits = digits.toUpperCase();
  if (precision !== undefined) {
    digits = precision === 0 && magnitude === 0n ? '' : digits.padStart(precision, '0');
  }
  let prefix = '';
  if (signed) {
    if (negative) prefix = '-';
    else if (spec.plus) prefix = '+';
    else if (spec.space) prefix = ' ';
  } else if (spec.hash) {
    if ((conv === 'x' || conv === 'X') && magnitude !== 0n) prefix = conv === 'x' ? '0x' : '0X';
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
  }
  if (spec.zero && !minus && precision === undefined) {
    digits = digits.padStart(width - prefix.length, '0');
  }
  return pad(prefix + digits, width, minus);
}

/** Formats a string (%s): the precision cuts it, the width pads it. */
export function formatString(spec: ConversionSpec, text: string, lenArg?: number): string {
  const { minus, width, precision } = resolve(spec, lenArg);
  const body = precision === undefined ? text : text.slice(0, precision);
  return pad(body, width, minus);
}

/** glibc's %p: "(nil)" for 0, else 0x and lowercase hex. */
export function formatPointer(value: bigint): string {
  const v = BigInt.asUintN(64, value);
  return v === 0n ? '(nil)' : '0x' + v.toString(16);
}
