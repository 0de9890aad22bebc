/**
 * Names as perf 6.1 prints them: demangled C++ without the function's own
 * parameters, Rust without the hash, raw names with --no-demangle. The
 * expected files were made by perf 6.1.187 (see their first line).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SymbolResolver, perfDemangle } from '../../../src/session/symbols/index.js';

const REAL = path.resolve('tests/fixtures/real');
const FIXTURES = path.resolve('tests/unit/symbols/fixtures');
const emptyDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-dm-'));

/** "addr name+0xoff (dso)" lines of a perf script excerpt. */
function expectedFrames(file: string): { addr: number; want: string; dso: string }[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([0-9a-f]+) (.*) \(([^()]*)\)$/.exec(l);
      if (!m) throw new Error(`${file}: bad line ${l}`);
      return { addr: parseInt(m[1]!, 16), want: m[2]!, dso: m[3]! };
    });
}

function resolvedAs(r: SymbolResolver, dso: string, addr: number): string {
  const s = r.dso({ path: dso }).find(addr);
  return s ? `${s.name}+0x${(BigInt(addr) - s.start).toString(16)}` : '[unknown]';
}

describe('demangling', () => {
  test('every C++ name of the cxx-demangle recording is printed as perf prints it', () => {
    const r = new SymbolResolver({ symfs: path.join(REAL, 'symfs'), buildidDir: emptyDir() });
    const script = fs.readFileSync(path.join(REAL, 'cxx-demangle/oracle/script.txt'), 'utf8');
    const seen = new Map<string, number>();
    for (const m of script.matchAll(
      /^\t\s*([0-9a-f]+) (.*)\+0x([0-9a-f]+) \((\/tmp\/perfreal\/bin\/cxx_templates|[^()]*libstdc\+\+[^()]*)\)$/gm,
    )) {
      const addr = parseInt(m[1]!, 16);
      expect(resolvedAs(r, m[4]!, addr), `${m[1]} in ${m[4]}`).toBe(`${m[2]}+0x${m[3]}`);
      seen.set(m[2]!, (seen.get(m[2]!) ?? 0) + 1);
    }
    // The names the recording is about, all checked above:
    for (const name of [
      '(anonymous namespace)::sort_by_key',
      '(anonymous namespace)::count_words',
      'main::{lambda(int)#1}',
      'geometry::Circle::area',
      'geometry::Square::area',
      'geometry::detail::dot<int, 8>',
      'std::_Rb_tree_insert_and_rebalance',
    ]) {
      expect(
        [...seen.keys()].some((n) => n.includes(name)),
        name,
      ).toBe(true);
    }
  });

  test('--no-demangle prints the mangled names (perf script --no-demangle)', () => {
    const raw = new SymbolResolver({
      symfs: path.join(REAL, 'symfs'),
      buildidDir: emptyDir(),
      demangle: false,
    });
    const frames = expectedFrames(path.join(FIXTURES, 'no-demangle-cxx_templates.txt'));
    expect(frames.length).toBeGreaterThan(50);
    for (const f of frames) expect(resolvedAs(raw, f.dso, f.addr), f.want).toBe(f.want);
    expect(
      frames.some((f) => f.want.startsWith('_ZN11Accumulator5applyIZ4mainEUliE_EEdT_i+')),
    ).toBe(true);
  });

  test('Rust legacy and v0 names are printed as perf 6.1 prints them (no hash, no disambiguators)', () => {
    const r = new SymbolResolver({
      symfs: path.join(FIXTURES, 'rust-names'),
      buildidDir: emptyDir(),
    });
    const frames = expectedFrames(path.join(FIXTURES, 'rust-names/expected.txt'));
    for (const f of frames) expect(resolvedAs(r, f.dso, f.addr), f.want).toBe(f.want);
    const names = new Set(frames.map((f) => f.want.replace(/\+0x[0-9a-f]+$/, '')));
    expect(names).toEqual(
      new Set([
        'lib::Wrapper<T>::get', // _ZN3lib16Wrapper$LT$T$GT$3get17hdddc27e29584972eE
        'std::rt::lang_start::{{closure}}', // legacy, $u7b$ escapes
        'lib::apply::<lib::run::{closure#0}::{closure#0}>', // v0
        'core::ptr::drop_in_place::<core::option::Option<gimli::read::line::IncompleteLineProgram<gimli::read::endian_slice::EndianSlice<gimli::endianity::LittleEndian>, usize>>>',
        '<std::sys::sync::rwlock::futex::RwLock>::read_contended',
      ]),
    );
  });

  test('perf demangle_sym() rules on single names', () => {
    const cases: [string, string | undefined][] = [
      ['main', undefined],
      ['_GLOBAL__sub_I_main', undefined],
      ['_Z3fooi', 'foo'],
      ['_Z3fooi.constprop.0', 'foo'], // clone suffixes are not read without DMGL_PARAMS
      ['_ZNKSt6vectorIiSaIiEE4sizeEv', 'std::vector<int, std::allocator<int> >::size'],
      ['_ZSt4sortIiEvT_S0_', 'std::sort<int>'], // template return type dropped too
      [
        '_ZNSsC1EPKcRKSaIcE',
        'std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string',
      ],
      ['_ZNSi6gcountEv', 'std::istream::gcount'],
      ['_ZTV8Circleee', 'vtable for Circleee'],
      [
        '_ZThn16_NSdD1Ev',
        'non-virtual thunk to std::basic_iostream<char, std::char_traits<char> >::~basic_iostream()',
      ],
      [
        '_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc',
        'std::operator<< <std::char_traits<char> >',
      ],
      ['_ZN4core3ptr13drop_in_place17h0123456789abcdefE', 'core::ptr::drop_in_place'],
      ['_RNvCs1234_7mycrate3foo', 'mycrate::foo'],
      ['camlStdlib__list__map_123', 'Stdlib.list.map_123'],
      ['Ljava/lang/Math;max(II)I', 'java.lang.Math.max(int, int)'],
    ];
    for (const [mangled, want] of cases) expect(perfDemangle(mangled), mangled).toBe(want);
  });
});
