/**
 * Turns a full C++ signature as cpp_demangle prints it
 * ("void ns::f<int>(int, char*) const [clone .cold]") into what perf 6.1
 * prints: libiberty's cplus_demangle() without DMGL_PARAMS, i.e. the
 * qualified name only ("ns::f<int>"). libiberty drops the top-level
 * function type (return type, parameters, cv/ref qualifiers of `this`) and
 * does not read clone suffixes; everything nested (template arguments,
 * the signature of an enclosing function in a local name such as
 * "f(int)::{lambda(int)#1}") is kept.
 */

/** Prefixes of special names whose inner encoding libiberty prints with parameters. */
const KEEP_SIGNATURE_PREFIXES = [
  'non-virtual thunk to ',
  'virtual thunk to ',
  'covariant return thunk to ',
  'transaction clone for ',
  'non-transaction clone for ',
];

const OPEN: Record<string, string> = { '(': ')', '<': '>', '[': ']', '{': '}' };

/**
 * Index of the '(' matching the ')' at `close`, scanning backwards over
 * balanced (), [], {} (not <>: "operator<" and "operator->" make angle
 * brackets unreliable, and parameter lists keep parentheses balanced).
 */
function matchingOpenParen(s: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = s[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      depth--;
      if (depth === 0) return c === '(' ? i : -1;
    }
  }
  return -1;
}

/** Strip trailing " [clone .xxx]" groups (libiberty without DMGL_PARAMS never reads them). */
function stripCloneSuffixes(s: string): string {
  let out = s;
  for (;;) {
    const m = /^(.*) \[clone [^\]]*\]$/s.exec(out);
    if (!m) return out;
    out = m[1]!;
  }
}

const TRAILING_QUALIFIER = / (?:const|volatile|restrict|&&|&|noexcept|throw\(\))$/;

/** Remove the top-level parameter list and qualifiers; undefined if `s` is not a function. */
function stripParameters(s: string): string | undefined {
  let t = s;
  while (TRAILING_QUALIFIER.test(t)) t = t.replace(TRAILING_QUALIFIER, '');
  if (!t.endsWith(')')) return undefined;
  const open = matchingOpenParen(t, t.length - 1);
  if (open <= 0) return undefined;
  const head = t.slice(0, open);
  // "operator()" itself is a name, not a parameter list.
  if (head.endsWith('operator') && t.slice(open, open + 2) === '()' && open + 2 === t.length)
    return undefined;
  return head;
}

/** Is position i the start of the word "operator" (an operator-function-id)? */
function operatorAt(s: string, i: number): boolean {
  if (!s.startsWith('operator', i)) return false;
  const before = i === 0 ? '' : s[i - 1]!;
  if (before !== '' && before !== ':' && before !== ' ' && before !== '~') return false;
  const after = s[i + 8] ?? '';
  return !/[A-Za-z0-9_]/.test(after);
}

/**
 * Length of the operator token after "operator" at i (so that "<", "->",
 * "()" and conversion types like "operator unsigned long" are not read as
 * brackets or return-type separators).
 */
function operatorTokenEnd(s: string, i: number): number {
  let j = i + 8;
  const rest = s.slice(j);
  const symbolic =
    /^(?:\(\)|\[\]|<=>|->\*|->|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%^&|~!=<>,]=?|"" ?[A-Za-z_]\w*)/.exec(
      rest,
    );
  if (symbolic) {
    // "operator<< <char>": the space only separates the template arguments.
    const end = j + symbolic[0].length;
    return s.startsWith(' <', end) ? end + 1 : end;
  }
  const words = /^ (?:new\[\]|delete\[\]|new|delete|co_await)/.exec(rest);
  if (words) return j + words[0].length;
  // Conversion operator: the type runs to the end of this name component.
  j++;
  let depth = 0;
  for (; j < s.length; j++) {
    const c = s[j]!;
    if (c in OPEN) depth++;
    else if (c === ')' || c === '>' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && c === ':' && s[j + 1] === ':') break;
  }
  return j;
}

/**
 * Drop a template function's return type: everything up to the last space
 * outside brackets (and outside operator names).
 */
function stripReturnType(s: string): string {
  let depth = 0;
  let lastSpace = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (operatorAt(s, i)) {
      i = operatorTokenEnd(s, i) - 1;
      continue;
    }
    if (c === '(' || c === '<' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === '>' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ' ' && depth === 0) lastSpace = i;
  }
  return lastSpace < 0 ? s : s.slice(lastSpace + 1);
}

/** The perf/libiberty (no DMGL_PARAMS) form of a full C++ demangling. */
export function toGnuNameOnly(full: string): string {
  if (KEEP_SIGNATURE_PREFIXES.some((p) => full.startsWith(p))) return stripCloneSuffixes(full);
  const noClone = stripCloneSuffixes(full);
  const head = stripParameters(noClone);
  if (head === undefined) return noClone;
  return stripReturnType(head);
}
