/**
 * Number formatting as glibc's printf does it. JavaScript's toFixed rounds a tie up, glibc rounds
 * the exact binary value half to even: 0.125 prints "0.12" in C and "0.13" from toFixed, and
 * perf prints such values (1 sample in 800 is 0.125%).
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** The exact value of a finite double as mantissa * 2^exponent. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  F64[0] = x;
  const lo = U32[0]!;
  const hi = U32[1]!;
  const biased = (hi >>> 20) & 0x7ff;
  const high = BigInt(hi & 0xfffff);
  let mantissa = (high << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa, exponent };
}

/** printf("%.<digits>f", x). */
export function cFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * scale;
  } else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    scaled = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && scaled % 2n === 1n)) scaled += 1n;
  }
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return negative ? `-${text}` : text;
}

/**
 * C's strtof/strtod on a command-line argument: the longest decimal prefix, 0 when there is none
 * (perf does not check the rest). `single` rounds to float as strtof does.
 */
export function cStrtod(text: string, single = false): number {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  const value = m ? Number(m[1]) : 0;
  return single ? Math.fround(value) : value;
}

/** C's strtoul (base 0 prefixes are not needed here): the leading decimal digits. */
export function cStrtoul(text: string): number | undefined {
  const m = /^\s*\+?(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}
