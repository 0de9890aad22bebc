/**
 * A DSO's symbols as perf 6.1 keeps them (tools/perf/util/symbol.c): an
 * rb-tree keyed by start address where equal starts go to the right
 * (__symbols__insert), the two clean-ups perf runs after loading
 * (symbols__fixup_end, symbols__fixup_duplicate) and perf's lookup
 * (symbols__find).
 *
 * Addresses are unsigned 64-bit. They are stored as two uint32 halves so
 * that lookups compare plain numbers (no bigint on the hot path) and kernel
 * addresses (0xffffffff8...) stay exact.
 */
import { RB_NIL, RbTree } from './rb-tree.js';

/** ELF symbol binding (STB_*), as perf keeps it on each symbol. */
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export interface NewSymbol {
  start: bigint;
  /** Size in bytes; 0 means "unknown", fixed up by fixupEnd(). */
  size: bigint;
  binding: number;
  type: number;
  name: string;
}

export interface ResolvedSymbol {
  name: string;
  start: bigint;
  /** Exclusive end, as perf 6.1 stores it (start + size). */
  end: bigint;
}

const TWO32 = 0x1_0000_0000;
const U64_MASK = (1n << 64n) - 1n;

/** perf's roundup(x, 4096) on u64 arithmetic. */
function roundupPage(x: bigint): bigint {
  return (((x + 4095n) & U64_MASK) / 4096n) * 4096n;
}

export class SymbolTree {
  private readonly tree = new RbTree();
  private starts: bigint[] = [];
  /**
   * The starts as doubles, to compare on the insert path without bigint arithmetic: rounding is
   * monotonic, so unequal doubles order as the exact values; equal ones fall back to the bigint.
   */
  private startKeys: number[] = [];
  private ends: bigint[] = [];
  private bindings: number[] = [];
  private names: string[] = [];
  private live = 0;
  private frozen: FrozenLookup | undefined;

  get size(): number {
    return this.live;
  }

  /** __symbols__insert() + symbol__new(): end = size ? start + size : start. */
  insert(sym: NewSymbol): void {
    this.frozen = undefined;
    const node = this.starts.length;
    const start = sym.start & U64_MASK;
    this.starts.push(start);
    const key = Number(start);
    this.startKeys.push(key);
    this.ends.push(sym.size === 0n ? start : (start + sym.size) & U64_MASK);
    this.bindings.push(sym.binding);
    this.names.push(sym.name);
    let parent = RB_NIL;
    let goLeft = false;
    let p = this.tree.root;
    const keys = this.startKeys;
    while (p !== RB_NIL) {
      parent = p;
      const other = keys[p]!;
      goLeft = key < other || (key === other && start < this.starts[p]!);
      p = goLeft ? this.tree.left(p) : this.tree.right(p);
    }
    this.tree.link(node, parent, goLeft);
    this.tree.insertColor(node);
    this.live++;
  }

  /** All live symbols in address order (ties in insertion order). */
  *inOrder(): Generator<ResolvedSymbol & { binding: number }> {
    for (let n = this.tree.first(); n !== RB_NIL; n = this.tree.next(n)) {
      yield {
        name: this.names[n]!,
        start: this.starts[n]!,
        end: this.ends[n]!,
        binding: this.bindings[n]!,
      };
    }
  }

  /**
   * symbols__fixup_end(): a symbol without a size ends where the next one
   * starts. In kallsyms the step between core kernel and module symbols
   * (module names carry "[mod]") is not bridged: such a symbol ends at the
   * next page boundary after start + 4096. The last symbol ends on the
   * page after its start.
   */
  fixupEnd(isKallsyms: boolean): void {
    this.frozen = undefined;
    let curr = this.tree.first();
    if (curr === RB_NIL) return;
    for (let nd = this.tree.next(curr); nd !== RB_NIL; nd = this.tree.next(nd)) {
      const prev = curr;
      curr = nd;
      if (this.ends[prev] === this.starts[prev]) {
        const prevIsModule = this.names[prev]!.includes('[');
        const currIsModule = this.names[curr]!.includes('[');
        if (isKallsyms && prevIsModule !== currIsModule) {
          this.ends[prev] = roundupPage(this.ends[prev]! + 4096n);
        } else {
          this.ends[prev] = this.starts[curr]!;
        }
      }
    }
    if (this.ends[curr] === this.starts[curr]) {
      this.ends[curr] = (roundupPage(this.starts[curr]!) + 4096n) & U64_MASK;
    }
  }

  /**
   * symbols__fixup_duplicate(): of several symbols at one start address,
   * keep one, chosen pairwise by choose_best_symbol().
   */
  fixupDuplicate(): void {
    this.frozen = undefined;
    let nd = this.tree.first();
    while (nd !== RB_NIL) {
      let curr = nd;
      for (;;) {
        nd = this.tree.next(curr);
        if (nd === RB_NIL) return;
        const next = nd;
        if (this.starts[curr] !== this.starts[next]) break;
        if (this.chooseBest(curr, next) === 'a') {
          this.erase(next);
          continue; // "goto again" with the same curr
        }
        nd = this.tree.next(curr);
        this.erase(curr);
        curr = nd;
        break;
      }
    }
  }

  /**
   * choose_best_symbol(): prefer a sized symbol, then non-weak, then global,
   * then fewer leading underscores, then the longer name; on a tie the
   * first one (arch__choose_best_symbol: unless it is a "SyS"/"compat_SyS"
   * syscall alias).
   */
  private chooseBest(a: number, b: number): 'a' | 'b' {
    const sizeA = this.ends[a]! - this.starts[a]!;
    const sizeB = this.ends[b]! - this.starts[b]!;
    if (sizeB === 0n && sizeA !== 0n) return 'a';
    if (sizeA === 0n && sizeB !== 0n) return 'b';
    const weakA = this.bindings[a] === STB_WEAK;
    const weakB = this.bindings[b] === STB_WEAK;
    if (weakB && !weakA) return 'a';
    if (weakA && !weakB) return 'b';
    const globalA = this.bindings[a] === STB_GLOBAL;
    const globalB = this.bindings[b] === STB_GLOBAL;
    if (globalA && !globalB) return 'a';
    if (globalB && !globalA) return 'b';
    const nameA = this.names[a]!;
    const nameB = this.names[b]!;
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

  private erase(node: number): void {
    this.tree.erase(node);
    this.live--;
  }

  /** symbols__find(): perf's lookup; end is exclusive except for empty symbols. */
  find(addr: bigint): ResolvedSymbol | undefined {
    if (addr < 0n || addr > U64_MASK) return undefined;
    const lookup = this.freeze();
    return lookup.find(Number(addr >> 32n), Number(addr & 0xffff_ffffn));
  }

  /** Lookup with a plain number (exact for addresses below 2^53). */
  findNumber(addr: number): ResolvedSymbol | undefined {
    if (!(addr >= 0) || addr > Number.MAX_SAFE_INTEGER) return undefined;
    return this.freeze().find(Math.floor(addr / TWO32), addr >>> 0);
  }

  /** The lowest start and highest end of all symbols (perf's map__fixup_start/end). */
  range(): { start: bigint; end: bigint } | undefined {
    let first: bigint | undefined;
    let last: bigint | undefined;
    for (let n = this.tree.first(); n !== RB_NIL; n = this.tree.next(n)) {
      first ??= this.starts[n]!;
      last = this.ends[n]!;
    }
    return first === undefined || last === undefined ? undefined : { start: first, end: last };
  }

  /** Snapshot the tree into flat typed arrays for fast repeated lookups. */
  private freeze(): FrozenLookup {
    this.frozen ??= new FrozenLookup(this.tree, this.starts, this.ends, this.names);
    return this.frozen;
  }
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

/** The tree's shape and keys in typed arrays, walked exactly like symbols__find(). */
class FrozenLookup {
  private readonly root: number;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly startHi: Uint32Array;
  private readonly startLo: Uint32Array;
  private readonly endHi: Uint32Array;
  private readonly endLo: Uint32Array;
  private readonly results: (ResolvedSymbol | undefined)[];
  private lastHi = -1;
  private lastLo = -1;
  private lastResult: ResolvedSymbol | undefined;

  constructor(
    tree: RbTree,
    private readonly starts: readonly bigint[],
    private readonly ends: readonly bigint[],
    private readonly names: readonly string[],
  ) {
    const n = starts.length;
    this.root = tree.root;
    this.left = new Int32Array(n);
    this.right = new Int32Array(n);
    this.startHi = new Uint32Array(n);
    this.startLo = new Uint32Array(n);
    this.endHi = new Uint32Array(n);
    this.endLo = new Uint32Array(n);
    this.results = new Array<ResolvedSymbol | undefined>(n);
    for (let i = 0; i < n; i++) {
      this.left[i] = tree.left(i);
      this.right[i] = tree.right(i);
      const s = starts[i]!;
      const e = ends[i]!;
      this.startHi[i] = Number(s >> 32n);
      this.startLo[i] = Number(s & 0xffff_ffffn);
      this.endHi[i] = Number(e >> 32n);
      this.endLo[i] = Number(e & 0xffff_ffffn);
    }
  }

  find(hi: number, lo: number): ResolvedSymbol | undefined {
    // dso__find_symbol() caches the last answer; so do we.
    if (hi === this.lastHi && lo === this.lastLo) return this.lastResult;
    let n = this.root;
    let found = -1;
    while (n !== RB_NIL) {
      const sHi = this.startHi[n]!;
      const sLo = this.startLo[n]!;
      if (hi < sHi || (hi === sHi && lo < sLo)) {
        n = this.left[n]!;
        continue;
      }
      const eHi = this.endHi[n]!;
      const eLo = this.endLo[n]!;
      const aboveEnd = hi > eHi || (hi === eHi && lo > eLo);
      const atEnd = hi === eHi && lo === eLo;
      const atStart = hi === sHi && lo === sLo;
      if (aboveEnd || (atEnd && !atStart)) {
        n = this.right[n]!;
        continue;
      }
      found = n;
      break;
    }
    this.lastHi = hi;
    this.lastLo = lo;
    this.lastResult = found < 0 ? undefined : this.result(found);
    return this.lastResult;
  }

  private result(node: number): ResolvedSymbol {
    let r = this.results[node];
    if (!r) {
      r = { name: this.names[node]!, start: this.starts[node]!, end: this.ends[node]! };
      this.results[node] = r;
    }
    return r;
  }
}
