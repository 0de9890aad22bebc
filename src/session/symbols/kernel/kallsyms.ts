/**
 * Kernel symbols from a kallsyms text file, loaded as perf 6.1 does
 * (tools/lib/symbol/kallsyms.c kallsyms__parse, util/symbol.c
 * map__process_kallsym_symbol, __dso__load_kallsyms, maps__split_kallsyms).
 *
 * Lines look like "ffffffff81000000 T _text" or, for modules,
 * "ffffffffc0201000 t ftrace_trampoline\t[__builtin__ftrace]".
 */
import fs from 'node:fs';
import { STB_GLOBAL, STB_LOCAL, STB_WEAK, SymbolTree } from '../table/symbol-tree.js';

export interface KallsymsLine {
  addr: bigint;
  type: string;
  /** Everything after "type ", including "\t[module]" for module symbols. */
  name: string;
}

/** kallsyms__parse(): "hex type name"; malformed lines are skipped. */
export function* parseKallsyms(text: string): Generator<KallsymsLine> {
  const lineRe = /^([0-9a-fA-F]+) (.) ([^\n]*)$/gm;
  for (const m of text.matchAll(lineRe)) {
    yield { addr: BigInt(`0x${m[1]!}`), type: m[2]!, name: m[3]! };
  }
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
    if (l.name === name && ('TW'.includes(l.type.toUpperCase()) || l.type === 'A')) return l.addr;
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
const U64_MASK = (1n << 64n) - 1n;

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
    all.insert({ start: l.addr, size: 0n, binding: binding(l.type), type: 0, name: l.name });
  }
  all.fixupEnd(true);
  all.fixupDuplicate();

  const known = moduleMaps ? new Map(moduleMaps.map((m) => [m.name, m.start])) : undefined;
  const kernel = new SymbolTree();
  const moduleSymbols = new Map<
    string,
    { start: bigint; end: bigint; name: string; binding: number }[]
  >();
  let inModule: string | undefined; // maps__split_kallsyms' curr_map (undefined: the kernel map)
  let kernelCount = 0;

  for (const sym of all.inOrder()) {
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
      list.push({ start: sym.start, end: sym.end, name, binding: sym.binding });
      continue;
    }
    if (sym.name === ENTRY_TRAMPOLINE_NAME) continue;
    if (inModule !== undefined && kernelCount > 0) {
      // perf moves kernel symbols that follow module symbols into separate
      // "[kernel].N" maps; they are not part of [kernel.kallsyms].
      continue;
    }
    inModule = undefined;
    insertBelow(kernel, sym, delta);
    kernelCount++;
  }

  const modules = new Map<string, { start: bigint; symbols: SymbolTree }>();
  for (const [module, list] of moduleSymbols) {
    const start =
      known?.get(module) ?? list.reduce((m, s) => (s.start < m ? s.start : m), list[0]!.start);
    const symbols = new SymbolTree();
    for (const s of list) insertBelow(symbols, s, start);
    modules.set(module, { start, symbols });
  }
  return { kernel, modules };
}

/** A kallsyms symbol moved down by `base` (u64 arithmetic, as perf's map_ip wraps). */
function insertBelow(
  tree: SymbolTree,
  sym: { start: bigint; end: bigint; name: string; binding: number },
  base: bigint,
): void {
  tree.insert({
    start: (sym.start - base) & U64_MASK,
    size: (sym.end - sym.start) & U64_MASK,
    binding: sym.binding,
    type: 0,
    name: sym.name,
  });
}

export function readKallsymsFile(path: string): string {
  return fs.readFileSync(path, 'latin1');
}
