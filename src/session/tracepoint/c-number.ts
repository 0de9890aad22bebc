/**
 * C integer semantics that libtraceevent's output depends on: its values are `unsigned long long`
 * and its atoms are converted with strtoull/strtoll (base 0), so we keep every value as a bigint
 * wrapped to 64 bits.
 */

export const U64_MASK = (1n << 64n) - 1n;

/** Wraps to an unsigned 64-bit value (C `unsigned long long` arithmetic). */
export function u64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

/** Reinterprets as signed 64-bit (C cast to `long long`). */
export function s64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

const SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

interface Parsed {
  negative: boolean;
  magnitude: bigint;
  overflow: boolean;
}

function digitValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** The part strtoull and strtoll share: whitespace, sign, 0x / 0 prefixes, digits (base 0). */
function parseC(text: string): Parsed {
  let i = 0;
  while (i < text.length && SPACE.has(text[i] ?? '')) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let base = 10;
  if (text[i] === '0') {
    const x = text[i + 1];
    if ((x === 'x' || x === 'X') && digitValue(text[i + 2] ?? '') < 16) {
      base = 16;
      i += 2;
    } else {
      base = 8;
    }
  }
  let magnitude = 0n;
  let overflow = false;
  const b = BigInt(base);
  for (; i < text.length; i++) {
    const d = digitValue(text[i] ?? '');
    if (d >= base) break;
    magnitude = magnitude * b + BigInt(d);
    if (magnitude > U64_MASK) overflow = true;
  }
  return { negative, magnitude, overflow };
}

/** C strtoull(text, NULL, 0): overflow gives ULLONG_MAX, a minus sign negates modulo 2^64. */
export function strtoull(text: string): bigint {
  const { negative, magnitude, overflow } = parseC(text);
  if (overflow) return U64_MASK;
  return negative ? u64(-magnitude) : magnitude;
}

/** C strtoll(text, NULL, 0): clamps to LLONG_MIN / LLONG_MAX on overflow. */
export function strtoll(text: string): bigint {
  const { negative, magnitude, overflow } = parseC(text);
  const max = (1n << 63n) - 1n;
  if (negative) return overflow || magnitude > max + 1n ? -(max + 1n) : -magnitude;
  return overflow || magnitude > max ? max : magnitude;
}
