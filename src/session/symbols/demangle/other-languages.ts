/**
 * perf 6.1's fallbacks when the C++/Rust demangler declines a name:
 * util/demangle-ocaml.c and util/demangle-java.c (with JAVA_DEMANGLE_NORET).
 */

/** ocaml_demangle_sym(): "camlFoo__bar_123" -> "Foo.bar_123", "$xx" hex escapes decoded. */
export function demangleOcaml(sym: string): string | undefined {
  if (!sym.startsWith('caml') || !/[A-Z]/.test(sym[4] ?? '')) return undefined;
  let out = '';
  let i = 4;
  while (i < sym.length) {
    if (sym[i] === '_' && sym[i + 1] === '_') {
      out += '.';
      i += 2;
    } else if (sym[i] === '$' && /^[0-9a-fA-F]{2}/.test(sym.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(sym.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      out += sym[i];
      i++;
    }
  }
  return out;
}

const JAVA_BASE_TYPES: Record<string, string> = {
  B: 'byte',
  C: 'char',
  D: 'double',
  F: 'float',
  I: 'int',
  J: 'long',
  S: 'short',
  Z: 'boolean',
};

/**
 * java_demangle_sym(str, JAVA_DEMANGLE_NORET): "Ljava/lang/Math;max(II)I"
 * -> "java.lang.Math.max(int, int)". Only applies to names with a ')'.
 */
export function demangleJava(str: string): string | undefined {
  const close = str.lastIndexOf(')');
  if (close < 0) return undefined;
  const MODE_PREFIX = 0;
  const MODE_CLASS = 1;
  const MODE_FUNC = 2;
  const MODE_TYPE = 3;
  const MODE_CTYPE = 4;
  let mode = MODE_PREFIX;
  let out = '';
  let array = 0;
  let narg = 0;
  const end = close + 1; // the return type after ')' is not processed
  for (let q = 0; q < end; q++) {
    const c = str[q]!;
    switch (c) {
      case 'L':
        if (mode === MODE_PREFIX || mode === MODE_TYPE) {
          if (mode === MODE_TYPE) {
            if (narg) out += ', ';
            narg++;
          }
          mode = mode === MODE_PREFIX ? MODE_CLASS : MODE_CTYPE;
        } else out += c;
        break;
      case 'B':
      case 'C':
      case 'D':
      case 'F':
      case 'I':
      case 'J':
      case 'S':
      case 'Z':
        if (mode === MODE_TYPE) {
          if (narg) out += ', ';
          out += JAVA_BASE_TYPES[c];
          while (array-- > 0) out += '[]';
          array = 0;
          narg++;
        } else out += c;
        break;
      case 'V':
        if (mode === MODE_TYPE) {
          out += 'void';
          while (array-- > 0) out += '[]';
          array = 0;
        } else out += c;
        break;
      case '[':
        if (mode !== MODE_TYPE) return undefined;
        array++;
        break;
      case '(':
        if (mode !== MODE_FUNC) return undefined;
        out += c;
        mode = MODE_TYPE;
        break;
      case ')':
        if (mode !== MODE_TYPE) return undefined;
        out += c;
        narg = 0;
        break;
      case ';':
        if (mode !== MODE_CLASS && mode !== MODE_CTYPE) return undefined;
        if (/[A-Za-z]/.test(str[q + 1] ?? '') && mode === MODE_CLASS) out += '.';
        mode = mode === MODE_CLASS ? MODE_FUNC : MODE_TYPE;
        break;
      case '/':
        if (mode !== MODE_CLASS && mode !== MODE_CTYPE) return undefined;
        out += '.';
        break;
      default:
        out += c;
    }
  }
  return out;
}
