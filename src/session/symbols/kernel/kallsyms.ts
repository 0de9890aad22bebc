/**
 * Kernel symbols from a kallsyms text file, loaded as perf 6.1 does
 * (tools/lib/symbol/kallsyms.c kallsyms__parse, util/symbol.c
 * map__process_kallsym_symbol, __dso__load_kallsyms, maps__split_kallsyms).
 *
 * Lines look like "ffffffff81000000 T _text" or, for modules,
 * "ffffffffc0201000 t ftrace_trampoline\t[__builtin__ftrace]".
 */
import fs from 'node:fs';
import {
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  SymbolTree,
  halvesOf,
  type SymbolHalves,
} from '../table/symbol-tree.js';
import { bigFromHalves } from '../../perf-data/u64.js';

export interface KallsymsLine {
  /** The address's uint32 halves (hex digits past 16 wrap, as u64 arithmetic does). */
  hi: number;
  lo: number;
  type: string;
  /** Everything after "type ", including "\t[module]" for module symbols. */
  name: string;
}

/**
 * kallsyms__parse(): lines of "hex type name" up to each '\n'; malformed lines are skipped.
 * A hand-written scan, not a regular expression and a bigint per line: /proc/kallsyms has
 * over 100,000 lines and is read on every load of a recording with kernel samples.
 */
export function* parseKallsyms(text: string): Generator<KallsymsLine> {
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = parseLine(text, at, end);
    if (line) yield line;
    at = end + 1;
  }
}

function parseLine(text: string, at: number, end: number): KallsymsLine | undefined {
  let hi = 0;
  let lo = 0;
  let i = at;
  for (; i < end; i++) {
    const digit = hexDigit(text.charCodeAt(i));
    if (digit < 0) break;
    hi = ((hi << 4) | (lo >>> 28)) >>> 0;
    lo = ((lo << 4) | digit) >>> 0;
  }
  // at least one digit, one space, the type, one space, then the name (the rest of the line)
  if (i === at || end - i < 3 || text[i] !== ' ' || text[i + 2] !== ' ') return undefined;
  return { hi, lo, type: text[i + 1]!, name: text.slice(i + 3, end) };
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** symbol_type__filter(): text, weak, data and bss symbols; not rodata or absolute ones. */
const keepType = (t: string): boolean => 'TWDB'.includes(t.toUpperCase());

/** kallsyms2elf_binding(). */
function binding(t: string): number {
  if (t === 'W') return STB_WEAK;
  return t >= 'A' && t <= 'Z' ? STB_GLOBAL : STB_LOCAL;
}

/** kallsyms__get_function_start(): the first function (or 'A' alias) with this name. */
export function kallsymsFunctionStart(text: string, name: string): bigint | undefined {
  for (const l of parseKallsyms(text)) {
    if (l.name === name && ('TW'.includes(l.type.toUpperCase()) || l.type === 'A'))
      return bigFromHalves(l.lo, l.hi);
  }
  return undefined;
}

export interface KernelModuleMap {
  /** Module name as kallsyms shows it, without brackets ("nvme"). */
  name: string;
  /** Start address of the module's map (its MMAP record). */
  start: bigint;
}

export interface KallsymsTables {
  /** [kernel.kallsyms]: core kernel symbols, looked up by absolute address. */
  kernel: SymbolTree;
  /** Per module, symbols relative to the module map's start (perf's map_ip). */
  modules: Map<string, { start: bigint; symbols: SymbolTree }>;
}

const ENTRY_TRAMPOLINE_NAME = '__entry_SYSCALL_64_trampoline';

/**
 * __dso__load_kallsyms() for the host kernel.
 * @param delta  kallsyms address of the reference symbol minus its recorded
 *               address (kallsyms__delta); kernel symbols move down by it.
 * @param moduleMaps  the recording's module maps; when given, symbols of
 *               other modules are dropped as perf drops them. When not given,
 *               every module keeps its symbols, relative to its lowest symbol.
 */
export function loadKallsyms(
  text: string,
  delta: bigint,
  moduleMaps?: readonly KernelModuleMap[],
): KallsymsTables {
  const all = new SymbolTree();
  for (const l of parseKallsyms(text)) {
    if (!keepType(l.type)) continue;
    if (l.name.startsWith('$')) continue; // ARM module local symbols
    all.insertHalves(l.hi, l.lo, l.hi, l.lo, binding(l.type), l.name);
  }
  all.fixupEnd(true);
  all.fixupDuplicate();

  const known = moduleMaps ? new Map(moduleMaps.map((m) => [m.name, m.start])) : undefined;
  const kernel = new SymbolTree();
  const moduleSymbols = new Map<string, SymbolHalves[]>();
  let inModule: string | undefined; // maps__split_kallsyms' curr_map (undefined: the kernel map)
  let kernelCount = 0;

  const kernelBase = halvesOf(delta);
  for (const sym of all.inOrderHalves()) {
    const tab = sym.name.indexOf('\t');
    if (tab >= 0) {
      const name = sym.name.slice(0, tab);
      const module = sym.name
        .slice(tab + 1)
        .replace(/^\[/, '')
        .replace(/\]$/, '');
      if (known && !known.has(module)) {
        inModule = undefined; // perf falls back to the kernel map and discards the symbol
        continue;
      }
      inModule = module;
      let list = moduleSymbols.get(module);
      if (!list) moduleSymbols.set(module, (list = []));
      list.push({ ...sym, name });
      continue;
    }
    if (sym.name === ENTRY_TRAMPOLINE_NAME) continue;
    if (inModule !== undefined && kernelCount > 0) {
      // perf moves kernel symbols that follow module symbols into separate
      // "[kernel].N" maps; they are not part of [kernel.kallsyms].
      continue;
    }
    inModule = undefined;
    insertBelow(kernel, sym, kernelBase);
    kernelCount++;
  }

  const modules = new Map<string, { start: bigint; symbols: SymbolTree }>();
  for (const [module, list] of moduleSymbols) {
    // the lowest start: the list is in address order
    const start = known?.get(module) ?? bigFromHalves(list[0]!.startLo, list[0]!.startHi);
    const base = halvesOf(start);
    const symbols = new SymbolTree();
    for (const s of list) insertBelow(symbols, s, base);
    modules.set(module, { start, symbols });
  }
  return { kernel, modules };
}

/** A kallsyms symbol moved down by `base` (u64 arithmetic, as perf's map_ip wraps). */
function insertBelow(tree: SymbolTree, sym: SymbolHalves, base: { hi: number; lo: number }): void {
  const [startHi, startLo] = minus(sym.startHi, sym.startLo, base);
  // end - base, which is start - base + (end - start): the same sum insert() makes
  const [endHi, endLo] = minus(sym.endHi, sym.endLo, base);
  tree.insertHalves(startHi, startLo, endHi, endLo, sym.binding, sym.name);
}

/** (hi, lo) - base on u64 arithmetic (wrapping). */
function minus(hi: number, lo: number, base: { hi: number; lo: number }): [number, number] {
  const borrow = lo < base.lo ? 1 : 0;
  return [(hi - base.hi - borrow) >>> 0, (lo - base.lo) >>> 0];
}

export function readKallsymsFile(path: string): string {
  return fs.readFileSync(path, 'latin1');
}
