/**
 * The two clean-ups perf 6.1 runs on a DSO's symbols after loading them
 * (tools/perf/util/symbol.c symbols__fixup_end, symbols__fixup_duplicate), over
 * symbols given in address order (ties in insertion order): a SymbolTree's in-order
 * walk, or kallsyms' lines sorted once (kallsyms.ts), which need no tree for it.
 *
 * A symbol is an index into columns: start and exclusive end as uint32 halves
 * (ends are fixed up in place), binding, name.
 */
import { TWO_32 } from '../../perf-data/u64.js';

/** ELF symbol binding (STB_*), as perf keeps it on each symbol. */
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

/** u64 addresses as uint32 halves, one column each, indexed by symbol. */
export interface Halves {
  hi: Uint32Array;
  lo: Uint32Array;
}

export interface SymbolColumns {
  starts: Halves;
  ends: Halves;
  bindings: ArrayLike<number>;
  names: SymbolNames;
}

/** Symbol names by index: an array (its own at()), or TextNames. */
export interface SymbolNames {
  readonly length: number;
  at(i: number): string | undefined;
}

/**
 * Names cut from a text when asked for: kallsyms has over 100,000 and a load looks up a few
 * hundred; making every one (young strings that all survive) cost a cold load 50 ms.
 */
export class TextNames implements SymbolNames {
  constructor(
    readonly text: string,
    /** Where each name starts and ends in `text`. */
    readonly from: Int32Array,
    readonly to: Int32Array,
  ) {}

  get length(): number {
    return this.from.length;
  }

  at(i: number): string | undefined {
    return i >= 0 && i < this.from.length ? this.text.slice(this.from[i]!, this.to[i]!) : undefined;
  }

  /** Whether name `i` is `name`, without cutting it. */
  is(i: number, name: string): boolean {
    const from = this.from[i]!;
    return this.to[i]! - from === name.length && this.text.startsWith(name, from);
  }

  /** The names of `indexes`, in their order. */
  picked(indexes: ArrayLike<number>): TextNames {
    const n = indexes.length;
    const from = new Int32Array(n);
    const to = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      from[k] = this.from[indexes[k]!]!;
      to[k] = this.to[indexes[k]!]!;
    }
    return new TextNames(this.text, from, to);
  }
}

/** `h` in columns of `capacity` entries, its entries copied. */
export function grownHalves(h: Halves, capacity: number): Halves {
  const grown = (a: Uint32Array): Uint32Array => {
    const b = new Uint32Array(capacity);
    b.set(a);
    return b;
  };
  return { hi: grown(h.hi), lo: grown(h.lo) };
}

/** (hi, lo) + n on u64 arithmetic (wrapping), written at `node` of `into`. */
function addTo(into: Halves, node: number, hi: number, lo: number, n: number): void {
  const sum = lo + n;
  into.lo[node] = sum >>> 0;
  into.hi[node] = (hi + Math.floor(sum / TWO_32)) >>> 0;
}

/** perf's roundup(x, 4096) on u64 arithmetic, in place at `node`. */
function roundupPage(x: Halves, node: number): void {
  addTo(x, node, x.hi[node]!, x.lo[node]!, 4095);
  x.lo[node] = (x.lo[node]! - (x.lo[node]! % 4096)) >>> 0;
}

/** Whether symbol `n` has no size (its end is its start). */
function sizeless(s: SymbolColumns, n: number): boolean {
  return s.ends.hi[n] === s.starts.hi[n] && s.ends.lo[n] === s.starts.lo[n];
}

/**
 * symbols__fixup_end(), over `order` (every symbol, in address order): a symbol
 * without a size ends where the next one starts. In kallsyms the step between core
 * kernel and module symbols (module names carry "[mod]") is not bridged: such a symbol
 * ends at the next page boundary after start + 4096. The last symbol ends on the page
 * after its start.
 */
export function fixupEnds(
  s: SymbolColumns,
  order: ArrayLike<number>,
  /** Kallsyms only: whether symbol i's name (with its "\t[module]") holds a '['. */
  bracketed?: (i: number) => boolean,
): void {
  const ends = s.ends;
  if (order.length === 0) return;
  let curr = order[0]!;
  for (let k = 1; k < order.length; k++) {
    const prev = curr;
    curr = order[k]!;
    if (!sizeless(s, prev)) continue;
    if (bracketed && bracketed(prev) !== bracketed(curr)) {
      addTo(ends, prev, ends.hi[prev]!, ends.lo[prev]!, 4096);
      roundupPage(ends, prev);
    } else {
      ends.hi[prev] = s.starts.hi[curr]!;
      ends.lo[prev] = s.starts.lo[curr]!;
    }
  }
  if (sizeless(s, curr)) {
    roundupPage(ends, curr);
    addTo(ends, curr, ends.hi[curr]!, ends.lo[curr]!, 4096);
  }
}

/**
 * symbols__fixup_duplicate(), over `order` (every symbol, in address order): of several
 * symbols at one start address one is kept, chosen pairwise by choose_best_symbol().
 * Returns the symbols perf erases, in the order it erases them.
 */
export function duplicatesToDrop(s: SymbolColumns, order: ArrayLike<number>): number[] {
  const drop: number[] = [];
  if (order.length === 0) return drop;
  let curr = order[0]!;
  for (let k = 1; k < order.length; k++) {
    const next = order[k]!;
    if (s.starts.hi[curr] !== s.starts.hi[next] || s.starts.lo[curr] !== s.starts.lo[next]) {
      curr = next;
    } else if (chooseBest(s, curr, next) === 'a') {
      drop.push(next); // "goto again" with the same curr
    } else {
      drop.push(curr);
      curr = next;
    }
  }
  return drop;
}

/**
 * choose_best_symbol(): prefer a sized symbol, then non-weak, then global,
 * then fewer leading underscores, then the longer name; on a tie the
 * first one (arch__choose_best_symbol: unless it is a "SyS"/"compat_SyS"
 * syscall alias).
 */
function chooseBest(s: SymbolColumns, a: number, b: number): 'a' | 'b' {
  const noSizeA = sizeless(s, a);
  const noSizeB = sizeless(s, b);
  if (noSizeB && !noSizeA) return 'a';
  if (noSizeA && !noSizeB) return 'b';
  const weakA = s.bindings[a] === STB_WEAK;
  const weakB = s.bindings[b] === STB_WEAK;
  if (weakB && !weakA) return 'a';
  if (weakA && !weakB) return 'b';
  const globalA = s.bindings[a] === STB_GLOBAL;
  const globalB = s.bindings[b] === STB_GLOBAL;
  if (globalA && !globalB) return 'a';
  if (globalB && !globalA) return 'b';
  const nameA = s.names.at(a)!;
  const nameB = s.names.at(b)!;
  const underscoresA = leadingUnderscores(nameA);
  const underscoresB = leadingUnderscores(nameB);
  if (underscoresB > underscoresA) return 'a';
  if (underscoresA > underscoresB) return 'b';
  // strlen() counts bytes, not UTF-16 units
  const lenA = utf8Length(nameA);
  const lenB = utf8Length(nameB);
  if (lenA > lenB) return 'a';
  if (lenA < lenB) return 'b';
  if (nameA.startsWith('SyS') || nameA.startsWith('compat_SyS')) return 'b';
  return 'a';
}

function leadingUnderscores(s: string): number {
  let i = 0;
  while (s.charCodeAt(i) === 0x5f) i++;
  return i;
}

function utf8Length(s: string): number {
  // Fast path for ASCII names, which nearly all symbol names are.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : Buffer.byteLength(s, 'utf8');
}
