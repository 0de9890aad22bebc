/**
 * Splits a print fmt string into literal text and conversions, pairing each conversion with its
 * argument (libtraceevent's parse_args / parse_arg_format / parse_arg_string). For
 *   "comm=%s pid=%d prio=%d group_dead=%s"
 * this gives: literal "comm=", %s (arg 1), literal " pid=", %d (arg 2), ...
 */
import { parseConversionSpec } from './c-printf';
import type { PrintArg, PrintItem } from './event-format';

export interface PrintItemsResult {
  readonly items: PrintItem[];
  /** Set when libtraceevent would flag the event FAILED. */
  readonly failure?: string;
}

/** Extra characters of %p extensions (parse_arg_format_pointer): %pS, %pM, %pI4, %pU, %ph... */
function pointerExtensionLength(f: string, at: number): number {
  const c = f[at];
  const c1 = f[at + 1];
  switch (c) {
    case 'F':
    case 'S':
    case 'f':
    case 's':
      return 1;
    case 'M':
    case 'm':
      return c1 === 'R' || c1 === 'F' ? 2 : 1;
    case 'I':
    case 'i': {
      let ret = 0;
      let index = 2;
      let c1Case = c1;
      if (c1Case === 'S') {
        while (f[at + index] === 'p' || f[at + index] === 'f' || f[at + index] === 's') {
          ret++;
          index++;
        }
        c1Case = '4';
      }
      if (c1Case === '4') {
        const x = f[at + index];
        if (x === 'h' || x === 'n' || x === 'l' || x === 'b') {
          ret++;
          index++;
        }
        if (c1 === '4') return ret + 2;
        c1Case = '6';
      }
      if (c1Case === '6') {
        if (f[at + index] === 'c') ret++;
        ret++;
      }
      return ret + 1;
    }
    case 'U':
      return c1 === 'L' || c1 === 'l' || c1 === 'B' || c1 === 'b' ? 2 : 1;
    case 'h':
      return c1 === 'C' || c1 === 'D' || c1 === 'N' ? 2 : 1;
    default:
      return 0;
  }
}

/** Literal text up to the next conversion, with \n \t \r \\ escapes and %% applied. */
function readLiteral(f: string, start: number): { text: string; consumed: number } {
  let text = '';
  let i = start;
  for (; i < f.length; i++) {
    const c = f[i] ?? '';
    if (c === '\\') {
      i++;
      const e = f[i];
      if (e === undefined) break;
      // Any other escaped character stands for itself ("\0" is the digit 0).
      text += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
    } else if (c === '%') {
      if (f[i + 1] !== '%') break;
      text += '%';
      i++;
    } else {
      text += c;
    }
  }
  return { text, consumed: i - start };
}

export function buildPrintItems(format: string, argList: readonly PrintArg[]): PrintItemsResult {
  const items: PrintItem[] = [];
  let argIndex = 0;
  let failure: string | undefined;
  const nextArg = (): PrintArg | undefined => argList[argIndex++];
  const fail = (why: string): void => {
    failure ??= why;
  };

  let pos = 0;
  while (pos < format.length) {
    if (format[pos] === '%' && format[pos + 1] !== '%') {
      pos += readConversion(pos);
    } else {
      const { text, consumed } = readLiteral(format, pos);
      items.push({ kind: 'literal', format: text, ls: 0 });
      if (consumed === 0) break;
      pos += consumed;
    }
  }
  return failure === undefined ? { items } : { items, failure };

  /** One conversion starting at `start`; returns how many characters it used. */
  function readConversion(start: number): number {
    let lenArg: PrintArg | undefined;
    let ls = 0;
    let i = start + 1;
    for (; i < format.length; i++) {
      const c = format[i] ?? '';
      switch (c) {
        case '#':
        case '.':
        case '-':
        case '+':
          continue;
        case 'h':
          ls--;
          continue;
        case 'l':
          ls++;
          continue;
        case 'L':
          ls = 2;
          continue;
        case 'z':
        case 'Z':
          ls = 1;
          continue;
        case '*': {
          const a = nextArg();
          if (!a) {
            fail('no argument for *');
            return i - start;
          }
          if (lenArg) {
            fail('argument already matched');
            return i - start;
          }
          lenArg = a;
          continue;
        }
        case 'p': {
          const arg = nextArg();
          if (!arg) {
            fail(`no argument for %p at format offset ${start}`);
            return i - start;
          }
          i += pointerExtensionLength(format, i + 1);
          const spec = format.slice(start, i + 1);
          if (spec.length > 31) fail('bad format!');
          const format31 = spec.slice(0, 31);
          items.push({
            kind: 'pointer',
            format: format31,
            spec: parseConversionSpec(format31),
            arg,
            lenArg,
            ls,
          });
          return i + 1 - start;
        }
        case 'c':
        case 'd':
        case 'u':
        case 'i':
        case 'x':
        case 'X':
        case 'o':
        case 's': {
          const arg = nextArg();
          if (!arg) {
            fail(`no argument for %${c} at format offset ${start}`);
            return i - start;
          }
          const spec = format.slice(start, i + 1);
          if (spec.length > (c === 's' ? 31 : 30)) fail('bad format!');
          if (c !== 's' && (ls < -2 || ls > 2)) fail(`bad count (${ls})`);
          const kind = c === 's' ? 'string' : 'number';
          items.push({
            kind,
            format: spec,
            spec: parseConversionSpec(spec),
            arg,
            lenArg,
            ls: c === 's' ? 0 : ls,
          });
          return i + 1 - start;
        }
        default:
          if (c >= '0' && c <= '9') continue;
          // An unknown conversion prints as ">c<" (a space flag lands here too).
          items.push({ kind: 'literal', format: `>${c}<`, ls: 0 });
          return i + 1 - start;
      }
    }
    return i - start;
  }
}
