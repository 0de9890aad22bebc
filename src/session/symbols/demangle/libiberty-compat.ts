/**
 * Where cpp_demangle's spelling differs from libiberty's cplus_demangle()
 * without DMGL_PARAMS/DMGL_VERBOSE (what perf 6.1 prints), rewrite it.
 * Each rule was found by comparing both on libstdc++'s exported names
 * (`c++filt -p -i` is libiberty with the same options).
 */

/** libiberty's standard substitutions: [simple, full, ctor/dtor name]. */
const STD_SUBS: Record<string, [string, string, string]> = {
  a: ['std::allocator', 'std::allocator', 'allocator'],
  b: ['std::basic_string', 'std::basic_string', 'basic_string'],
  s: [
    'std::string',
    'std::basic_string<char, std::char_traits<char>, std::allocator<char> >',
    'basic_string',
  ],
  i: ['std::istream', 'std::basic_istream<char, std::char_traits<char> >', 'basic_istream'],
  o: ['std::ostream', 'std::basic_ostream<char, std::char_traits<char> >', 'basic_ostream'],
  d: ['std::iostream', 'std::basic_iostream<char, std::char_traits<char> >', 'basic_iostream'],
};

/** cpp_demangle's special names -> libiberty's phrases. */
function specialName(s: string): string | undefined {
  let m = /^\{vtable\((.*)\)\}$/s.exec(s);
  if (m) return `vtable for ${m[1]!}`;
  m = /^\{vtt\((.*)\)\}$/s.exec(s);
  if (m) return `VTT for ${m[1]!}`;
  m = /^\{construction vtable for (.*)\}$/s.exec(s);
  if (m) return `construction vtable for ${m[1]!}`;
  m = /^\{virtual override thunk\(\{offset\(-?\d+\)\}, (.*)\)\}$/s.exec(s);
  if (m) return `non-virtual thunk to ${m[1]!}`;
  m = /^\{virtual override thunk\(\{virtual offset\(-?\d+, -?\d+\)\}, (.*)\)\}$/s.exec(s);
  if (m) return `virtual thunk to ${m[1]!}`;
  m = /^\{virtual override thunk\(\{[^}]*\}, \{[^}]*\}, (.*)\)\}$/s.exec(s);
  if (m) return `covariant return thunk to ${m[1]!}`;
  return undefined;
}

/** libiberty prints an integer literal of these types with a suffix, not a cast. */
const LITERAL_SUFFIX: Record<string, string> = {
  'unsigned int': 'u',
  long: 'l',
  'unsigned long': 'ul',
  'long long': 'll',
  'unsigned long long': 'ull',
};

/**
 * Without DMGL_PARAMS libiberty also omits the parameter list of a function
 * named in a template argument: "call<&A::f(int)>" -> "call<&A::f>".
 */
function dropAddressOfFunctionParams(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '&' && (s[i - 1] === '<' || s[i - 1] === ' ')) {
      // &qualified::name(params) followed by ',' or '>'
      const m = /^&[A-Za-z_][\w:]*(?:<[^()]*?>)?(?:::[A-Za-z_~][\w]*)*/.exec(s.slice(i));
      if (m && s[i + m[0].length] === '(') {
        let depth = 0;
        let j = i + m[0].length;
        for (; j < s.length; j++) {
          if (s[j] === '(') depth++;
          else if (s[j] === ')' && --depth === 0) break;
        }
        const after = s[j + 1];
        if (j < s.length && (after === ',' || after === '>')) {
          out += m[0];
          i = j + 1;
          continue;
        }
      }
    }
    out += c;
    i++;
  }
  return out;
}

function generalFixes(s: string): string {
  let out = s;
  // Non-prefix standard substitutions print in their short form.
  for (const key of ['s', 'i', 'o', 'd'] as const) {
    const [simple, full] = STD_SUBS[key]!;
    out = out.split(full).join(simple);
  }
  out = out.replace(/std::nullptr_t/g, 'decltype(nullptr)');
  out = out.replace(
    /\((unsigned int|long|unsigned long|long long|unsigned long long)\)(-?\d+)/g,
    (_m, t: string, n: string) => n + LITERAL_SUFFIX[t]!,
  );
  // An empty trailing pack: cpp_demangle prints "<T, >", libiberty "<T>".
  out = out.replace(/, >/g, '>');
  return dropAddressOfFunctionParams(out);
}

/**
 * A constructor or destructor of a standard-substitution class used as
 * the prefix of the top-level name: libiberty spells the class out in full
 * and names the constructor after the template ("basic_string").
 */
function stdPrefixCtorDtor(mangled: string, s: string, lead: string): string {
  const m = /^_Z(?:T[hv][-\dn_]*?_|Tc[-\dn_]*?_)?N[rVKRO]*S([sidoab])([CD])/.exec(mangled);
  if (!m) return s;
  const [simple, full, last] = STD_SUBS[m[1]!]!;
  const tilde = m[2] === 'D' ? '~' : '';
  const simpleLast = simple.slice(simple.lastIndexOf(':') + 1);
  for (const from of [`${simple}::${tilde}${simpleLast}`, `${simple}::${tilde}${last}`]) {
    if (s.startsWith(lead + from))
      return lead + `${full}::${tilde}${last}` + s.slice(lead.length + from.length);
  }
  return s;
}

const SPECIAL_LEADS = ['non-virtual thunk to ', 'virtual thunk to ', 'covariant return thunk to '];

/** Rewrite a cpp_demangle result (already reduced to libiberty's name-only form) into libiberty's spelling. */
export function libibertySpelling(mangled: string, demangled: string): string {
  const special = specialName(demangled);
  let s = generalFixes(special ?? demangled);
  const lead = SPECIAL_LEADS.find((l) => s.startsWith(l)) ?? '';
  s = stdPrefixCtorDtor(mangled, s, lead);
  return s;
}

export { specialName as cppSpecialName };
