/**
 * Symbol demangling as perf 6.1 prints it by default (symbol-elf.c
 * demangle_sym): libiberty's cplus_demangle(name, DMGL_NO_OPTS) — Rust
 * (legacy and v0) first, then C++ (Itanium), printed without the function's
 * own parameter list and without the Rust hash — else OCaml, else Java.
 * Returns undefined when the name is not mangled (perf keeps it as is).
 *
 * The C++ and Rust demanglers are the `gecko-profiler-demangle` package
 * (cpp_demangle and rustc-demangle); gnu-style.ts turns cpp_demangle's
 * full signatures into libiberty's name-only form.
 */
import { geckoDemangle } from './gecko-demangler.js';
import { toGnuNameOnly } from './gnu-style.js';
import { cppSpecialName, libibertySpelling } from './libiberty-compat.js';
import { demangleJava, demangleOcaml } from './other-languages.js';

const HEX16 = /^h[0-9a-f]{16}$/;

/** libiberty's test for a legacy Rust symbol: _ZN...E whose last segment is "17h" + 16 hex digits using >= 5 distinct digits. */
function isLegacyRust(name: string): boolean {
  if (!name.startsWith('_ZN')) return false;
  let body = name.slice(3);
  const dot = body.indexOf('.');
  if (dot >= 0) body = body.slice(0, dot); // ".llvm.1234"-style suffixes
  if (!/^[_0-9a-zA-Z$.:@]*E$/.test(body)) return false;
  body = body.slice(0, -1);
  // Walk the <len><ident> segments; the last one must be the hash.
  let i = 0;
  let last = '';
  while (i < body.length) {
    const m = /^\d+/.exec(body.slice(i));
    if (!m) return false;
    const len = Number(m[0]);
    i += m[0].length;
    if (len === 0 || i + len > body.length) return false;
    last = body.slice(i, i + len);
    i += len;
  }
  if (!HEX16.test(last)) return false;
  return new Set(last.slice(1)).size >= 5;
}

/** libiberty's test for a Rust v0 symbol: "_R" + an uppercase letter, [_0-9a-zA-Z] up to an optional ".suffix". */
function isV0Rust(name: string): boolean {
  return /^_R[A-Z][_0-9a-zA-Z]*(?:\..*)?$/.test(name);
}

/** The name of a "_GLOBAL_[._$][DI]_..." constructor/destructor symbol, as libiberty prints it. */
function globalCtorDtor(name: string): string | undefined {
  const m = /^_GLOBAL_[._$]([DI])_(.*)$/s.exec(name);
  if (!m) return undefined;
  const inner = m[2]!;
  const what = m[1] === 'I' ? 'global constructors keyed to ' : 'global destructors keyed to ';
  return what + (inner.startsWith('_Z') ? (demangleCxx(inner) ?? inner) : inner);
}

function demangleCxx(name: string): string | undefined {
  const full = geckoDemangle(name);
  if (full === name || full === name.slice(1)) return undefined;
  // Special names (vtables, thunks) keep their inner signature; functions lose theirs.
  const nameOnly = cppSpecialName(full) !== undefined ? full : toGnuNameOnly(full);
  return libibertySpelling(name, nameOnly);
}

/** cplus_demangle(name, 0) in libiberty's automatic style. */
function cplusDemangle(name: string): string | undefined {
  if (isLegacyRust(name) || isV0Rust(name)) {
    const r = geckoDemangle(name);
    if (r !== name && r !== name.slice(1)) return r;
    if (isV0Rust(name)) return undefined;
  }
  if (name.startsWith('_Z')) return demangleCxx(name);
  return globalCtorDtor(name);
}

/** perf's demangle_sym(): the demangled name, or undefined to keep the raw one. */
export function perfDemangle(name: string): string | undefined {
  return cplusDemangle(name) ?? demangleOcaml(name) ?? demangleJava(name);
}
