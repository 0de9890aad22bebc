/**
 * Kernel symbols from a kallsyms text file, loaded as perf 6.1 does
 * (tools/lib/symbol/kallsyms.c kallsyms__parse, util/symbol.c
 * map__process_kallsym_symbol, __dso__load_kallsyms, maps__split_kallsyms).
 *
 * Lines look like "ffffffff81000000 T _text" or, for modules,
 * "ffffffffc0201000 t ftrace_trampoline\t[__builtin__ftrace]".
 */
import fs from 'node:fs';
import { SymbolTree, halvesOf } from '../table/symbol-tree.js';
import {
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  duplicatesToDrop,
  fixupEnds,
  TextNames,
  type Halves,
  type SymbolColumns,
  type SymbolNames,
} from '../table/symbol-fixups.js';
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
  const line = { hi: 0, lo: 0, typeAt: 0 };
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (scanLine(text, at, end, line)) {
      const { hi, lo, typeAt } = line;
      yield { hi, lo, type: text[typeAt]!, name: text.slice(typeAt + 2, end) };
    }
    at = end + 1;
  }
}

/**
 * One line, text[at, end): its address into `out` and where its type is (the name follows one
 * space after it); false when the line is malformed.
 */
function scanLine(
  text: string,
  at: number,
  end: number,
  out: { hi: number; lo: number; typeAt: number },
): boolean {
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
  if (i === at || end - i < 3 || text.charCodeAt(i) !== 0x20 || text.charCodeAt(i + 2) !== 0x20)
    return false;
  out.hi = hi;
  out.lo = lo;
  out.typeAt = i + 1;
  return true;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** symbol_type__filter(): text, weak, data and bss symbols; not rodata or absolute ones. */
function keepType(t: string): boolean {
  switch (t) {
    case 'T':
    case 't':
    case 'W':
    case 'w':
    case 'D':
    case 'd':
    case 'B':
    case 'b':
      return true;
    default:
      return false;
  }
}

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
  all: SortedKallsyms,
  delta: bigint,
  moduleMaps?: readonly KernelModuleMap[],
): KallsymsTables {
  const { starts, names, order, tabs, text } = all;

  const known = moduleMaps ? new Map(moduleMaps.map((m) => [m.name, m.start])) : undefined;
  const kernel = new SymbolTree();
  const moduleSymbols = new Map<string, { symbols: number[]; names: string[] }>();
  let inModule: string | undefined; // maps__split_kallsyms' curr_map (undefined: the kernel map)
  const kernelSymbols = new Int32Array(order.length);
  let kernelCount = 0;

  for (let k = 0; k < order.length; k++) {
    const sym = order[k]!;
    if (sym < 0) continue; // a duplicate perf erased
    const tab = tabs[sym]!;
    if (tab >= 0) {
      const module = text
        .slice(tab + 1, names.to[sym])
        .replace(/^\[/, '')
        .replace(/\]$/, '');
      if (known && !known.has(module)) {
        inModule = undefined; // perf falls back to the kernel map and discards the symbol
        continue;
      }
      inModule = module;
      let list = moduleSymbols.get(module);
      if (!list) moduleSymbols.set(module, (list = { symbols: [], names: [] }));
      list.symbols.push(sym);
      list.names.push(text.slice(names.from[sym], tab));
      continue;
    }
    if (names.is(sym, ENTRY_TRAMPOLINE_NAME)) continue;
    if (inModule !== undefined && kernelCount > 0) {
      // perf moves kernel symbols that follow module symbols into separate
      // "[kernel].N" maps; they are not part of [kernel.kallsyms].
      continue;
    }
    inModule = undefined;
    kernelSymbols[kernelCount++] = sym;
  }
  const kernelSyms = kernelSymbols.subarray(0, kernelCount);
  kernel.insertAll(movedDown(all, kernelSyms, names.picked(kernelSyms), halvesOf(delta)));

  const modules = new Map<string, { start: bigint; symbols: SymbolTree }>();
  for (const [module, list] of moduleSymbols) {
    // the lowest start: the list is in address order
    const first = list.symbols[0]!;
    const start = known?.get(module) ?? bigFromHalves(starts.lo[first]!, starts.hi[first]!);
    const symbols = new SymbolTree();
    symbols.insertAll(movedDown(all, list.symbols, list.names, halvesOf(start)));
    modules.set(module, { start, symbols });
  }
  return { kernel, modules };
}

/**
 * A kallsyms file's kept lines (types T/W/D/B, no ARM "$" locals) as columns in file order,
 * with `order`: them in address order, ties in file order (what perf's tree walks in order).
 * Ends are fixed up and the duplicates perf erases are -1 in `order`. The text stays for
 * kallsyms__delta's lookup (kallsymsFunctionStart).
 */
export interface SortedKallsyms extends SymbolColumns {
  text: string;
  /** Each name runs to its line's end (a module's "\t[module]" included). */
  names: TextNames;
  order: Int32Array;
  /** Where each line's "\t[module]" starts in `text`; -1: a core kernel symbol. */
  tabs: Int32Array;
}

/**
 * The first half of __dso__load_kallsyms(), which needs nothing from the recording: perf
 * inserts every line into one tree for its fix-ups; the lines come nearly sorted, so one
 * stable sort (or none) does it without a tree.
 */
export function sortKallsyms(text: string): SortedKallsyms {
  // Columns sized by the lines once: a cold single pass over 100,000 lines spent most of its
  // time growing arrays element by element.
  const lines = countLines(text);
  const his = new Uint32Array(lines);
  const los = new Uint32Array(lines);
  const kinds = new Uint8Array(lines);
  const nameFrom = new Int32Array(lines);
  const nameTo = new Int32Array(lines);
  const tabAt = new Int32Array(lines);
  const bracketed = new Uint8Array(lines);
  // the next tab and '[' at or after a line's name (text.length: none): one scan for all lines
  let nextTab = -1;
  let nextBracket = -1;
  const line = { hi: 0, lo: 0, typeAt: 0 };
  let sorted = true;
  let n = 0;
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (scanLine(text, at, end, line)) {
      const type = text[line.typeAt]!;
      // ARM module local symbols start with '$'
      if (keepType(type) && text.charCodeAt(line.typeAt + 2) !== 0x24) {
        const { hi, lo } = line;
        if (n > 0 && (hi < his[n - 1]! || (hi === his[n - 1]! && lo < los[n - 1]!))) sorted = false;
        his[n] = hi;
        los[n] = lo;
        kinds[n] = binding(type);
        const from = line.typeAt + 2;
        if (nextTab < from) nextTab = nextAt(text, '\t', from);
        if (nextBracket < from) nextBracket = nextAt(text, '[', from);
        nameFrom[n] = from;
        nameTo[n] = end;
        tabAt[n] = nextTab < end ? nextTab : -1;
        bracketed[n] = nextBracket < end ? 1 : 0;
        n++;
      }
    }
    at = end + 1;
  }
  const names = new TextNames(text, nameFrom.subarray(0, n), nameTo.subarray(0, n));
  const bindings = kinds.subarray(0, n);
  const starts: Halves = { hi: his.subarray(0, n), lo: los.subarray(0, n) };
  // no sizes in kallsyms: every end starts at its start (fixupEnds sets it)
  const ends = { hi: starts.hi.slice(), lo: starts.lo.slice() };
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!sorted)
    order.sort((a, b) => starts.hi[a]! - starts.hi[b]! || starts.lo[a]! - starts.lo[b]! || a - b);
  const columns = { starts, ends, bindings, names };
  fixupEnds(columns, order, (i) => bracketed[i] === 1);
  const erased = new Set(duplicatesToDrop(columns, order));
  if (erased.size > 0) for (let k = 0; k < n; k++) if (erased.has(order[k]!)) order[k] = -1;
  return { ...columns, text, order, tabs: tabAt.subarray(0, n) };
}

/** Where `char` next occurs in `text` from `from` on; text.length when it does not. */
function nextAt(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? text.length : at;
}

/** How many lines `text` has (the last need not end in a newline). */
function countLines(text: string): number {
  let lines = 0;
  for (let at = 0; at < text.length; lines++) {
    const end = text.indexOf('\n', at);
    at = end < 0 ? text.length : end + 1;
  }
  return lines;
}

/**
 * Kallsyms symbols `syms` (named `names`) as columns, moved down by `base` on u64 arithmetic
 * (wrapping, as perf's map_ip does): the end moves as the start does, start - base + (end -
 * start) being the sum insert() makes.
 */
function movedDown(
  all: SymbolColumns,
  syms: ArrayLike<number>,
  names: SymbolNames,
  base: { hi: number; lo: number },
): SymbolColumns & { bindings: number[] } {
  const n = syms.length;
  const starts = { hi: new Uint32Array(n), lo: new Uint32Array(n) };
  const ends = { hi: new Uint32Array(n), lo: new Uint32Array(n) };
  const bindings = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const sym = syms[i]!;
    minusInto(starts, i, all.starts.hi[sym]!, all.starts.lo[sym]!, base);
    minusInto(ends, i, all.ends.hi[sym]!, all.ends.lo[sym]!, base);
    bindings[i] = all.bindings[sym]!;
  }
  return { starts, ends, bindings, names };
}

/** (hi, lo) - base on u64 arithmetic (wrapping), written at `i` of `into`. */
function minusInto(
  into: Halves,
  i: number,
  hi: number,
  lo: number,
  base: { hi: number; lo: number },
): void {
  const borrow = lo < base.lo ? 1 : 0;
  into.hi[i] = (hi - base.hi - borrow) >>> 0;
  into.lo[i] = (lo - base.lo) >>> 0;
}

/** A kallsyms file past this is no kallsyms file (a kernel's has 10 to 20 MB). */
const MAX_KALLSYMS_BYTES = 256 << 20;

/**
 * The file's text. /proc/kallsyms reports no size: read into one buffer that doubles when full,
 * not readFileSync's 64 kB chunks joined afterwards (fresh memory twice over, 8 MB of it).
 */
export function readKallsymsFile(path: string): string {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(Math.min(size > 0 ? size + 1 : 16 << 20, MAX_KALLSYMS_BYTES));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n >= MAX_KALLSYMS_BYTES) {
          throw new Error(`more than ${MAX_KALLSYMS_BYTES >> 20} MB: not a kallsyms file`);
        }
        const bigger = Buffer.allocUnsafe(Math.min(2 * buf.length, MAX_KALLSYMS_BYTES));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) return buf.toString('latin1', 0, n);
      n += got;
    }
  } finally {
    fs.closeSync(fd);
  }
}
