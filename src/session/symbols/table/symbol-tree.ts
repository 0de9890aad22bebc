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
import { bigFromHalves } from '../../perf-data/u64.js';
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

/** A symbol with its start and exclusive end as uint32 halves (see SymbolTree.insertHalves). */
export interface SymbolHalves {
  name: string;
  startHi: number;
  startLo: number;
  endHi: number;
  endLo: number;
  binding: number;
}

export interface ResolvedSymbol {
  name: string;
  start: bigint;
  /** Exclusive end, as perf 6.1 stores it (start + size). */
  end: bigint;
}

const TWO32 = 0x1_0000_0000;
const U64_MASK = (1n << 64n) - 1n;

/** A bigint as the uint32 halves of a u64 (wrapping, as perf's u64 arithmetic does). */
export function halvesOf(v: bigint): { hi: number; lo: number } {
  const u = v & U64_MASK;
  return { hi: Number(u >> 32n), lo: Number(u & 0xffff_ffffn) };
}

/** A u64 address as an index into each half's column: written by the caller, read at `node`. */
interface Halves {
  hi: Uint32Array;
  lo: Uint32Array;
}

/** (hi, lo) + n on u64 arithmetic (wrapping), written at `node` of `into`. */
function addTo(into: Halves, node: number, hi: number, lo: number, n: number): void {
  const sum = lo + n;
  into.lo[node] = sum >>> 0;
  into.hi[node] = (hi + Math.floor(sum / TWO32)) >>> 0;
}

/** perf's roundup(x, 4096) on u64 arithmetic, in place at `node`. */
function roundupPage(x: Halves, node: number): void {
  addTo(x, node, x.hi[node]!, x.lo[node]!, 4095);
  x.lo[node] = (x.lo[node]! - (x.lo[node]! % 4096)) >>> 0;
}

export class SymbolTree {
  private readonly tree = new RbTree();
  /** Per node (erased ones too): start and exclusive end as uint32 halves, binding, name. */
  private starts: Halves = { hi: new Uint32Array(64), lo: new Uint32Array(64) };
  private ends: Halves = { hi: new Uint32Array(64), lo: new Uint32Array(64) };
  private bindings: number[] = [];
  private names: string[] = [];
  private live = 0;
  private frozen: FrozenLookup | undefined;
  /**
   * The rightmost node (the highest start, the latest of equal ones; RB_NIL in an empty tree).
   * A start at or above it is linked there without a descent: symbol tables come mostly in
   * address order (kallsyms, and every tree refilled from another's in-order walk).
   */
  private rightmost = RB_NIL;

  get size(): number {
    return this.live;
  }

  /** __symbols__insert() + symbol__new(): end = size ? start + size : start. */
  insert(sym: NewSymbol): void {
    const start = halvesOf(sym.start);
    const end = sym.size === 0n ? start : halvesOf(sym.start + sym.size);
    this.insertHalves(start.hi, start.lo, end.hi, end.lo, sym.binding, sym.name);
  }

  /**
   * insert() of a symbol given by its start's and exclusive end's uint32 halves (end = start:
   * no size), without a bigint: kallsyms' 100,000 symbols load in a few milliseconds.
   */
  insertHalves(
    startHi: number,
    startLo: number,
    endHi: number,
    endLo: number,
    binding: number,
    name: string,
  ): void {
    this.frozen = undefined;
    const node = this.names.length;
    if (node === this.starts.hi.length) this.grow(2 * node);
    this.starts.hi[node] = startHi;
    this.starts.lo[node] = startLo;
    this.ends.hi[node] = endHi;
    this.ends.lo[node] = endLo;
    this.bindings.push(binding);
    this.names.push(name);
    const last = this.rightmost;
    let parent = RB_NIL;
    let goLeft = false;
    if (last !== RB_NIL && !this.startsBelow(startHi, startLo, last)) {
      parent = last; // the descent would go right all the way down to it
    } else {
      for (let p = this.tree.root; p !== RB_NIL;) {
        parent = p;
        goLeft = this.startsBelow(startHi, startLo, p);
        p = goLeft ? this.tree.left(p) : this.tree.right(p);
      }
    }
    // the tree was empty, or the node went under the rightmost: it is the rightmost now
    if (parent === last && !goLeft) this.rightmost = node;
    this.tree.link(node, parent, goLeft);
    this.tree.insertColor(node);
    this.live++;
  }

  private grow(capacity: number): void {
    const grown = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(capacity);
      b.set(a);
      return b;
    };
    this.starts = { hi: grown(this.starts.hi), lo: grown(this.starts.lo) };
    this.ends = { hi: grown(this.ends.hi), lo: grown(this.ends.lo) };
  }

  /** Whether a start goes left of node `p` (an equal start goes right, after it). */
  private startsBelow(hi: number, lo: number, p: number): boolean {
    const pHi = this.starts.hi[p]!;
    return hi < pHi || (hi === pHi && lo < this.starts.lo[p]!);
  }

  /**
   * All live symbols in address order (ties in insertion order), each address as its uint32
   * halves (for insertHalves() into another tree).
   */
  *inOrderHalves(): Generator<SymbolHalves> {
    for (let n = this.tree.first(); n !== RB_NIL; n = this.tree.next(n)) {
      yield {
        name: this.names[n]!,
        startHi: this.starts.hi[n]!,
        startLo: this.starts.lo[n]!,
        endHi: this.ends.hi[n]!,
        endLo: this.ends.lo[n]!,
        binding: this.bindings[n]!,
      };
    }
  }

  private startsAt(a: number, b: number): boolean {
    return this.starts.hi[a] === this.starts.hi[b] && this.starts.lo[a] === this.starts.lo[b];
  }

  /** Whether node `n` has no size (its end is its start). */
  private sizeless(n: number): boolean {
    return this.ends.hi[n] === this.starts.hi[n] && this.ends.lo[n] === this.starts.lo[n];
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
    const ends = this.ends;
    let curr = this.tree.first();
    if (curr === RB_NIL) return;
    for (let nd = this.tree.next(curr); nd !== RB_NIL; nd = this.tree.next(nd)) {
      const prev = curr;
      curr = nd;
      if (this.sizeless(prev)) {
        const prevIsModule = this.names[prev]!.includes('[');
        const currIsModule = this.names[curr]!.includes('[');
        if (isKallsyms && prevIsModule !== currIsModule) {
          addTo(ends, prev, ends.hi[prev]!, ends.lo[prev]!, 4096);
          roundupPage(ends, prev);
        } else {
          ends.hi[prev] = this.starts.hi[curr]!;
          ends.lo[prev] = this.starts.lo[curr]!;
        }
      }
    }
    if (this.sizeless(curr)) {
      roundupPage(ends, curr);
      addTo(ends, curr, ends.hi[curr]!, ends.lo[curr]!, 4096);
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
        if (!this.startsAt(curr, next)) break;
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
    const noSizeA = this.sizeless(a);
    const noSizeB = this.sizeless(b);
    if (noSizeB && !noSizeA) return 'a';
    if (noSizeA && !noSizeB) return 'b';
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
    if (node === this.rightmost) this.rightmost = this.last();
  }

  /** The rightmost node, found by walking down the right spine. */
  private last(): number {
    let n = this.tree.root;
    while (n !== RB_NIL && this.tree.right(n) !== RB_NIL) n = this.tree.right(n);
    return n;
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
    const first = this.tree.first();
    if (first === RB_NIL) return undefined;
    const last = this.rightmost;
    return {
      start: bigFromHalves(this.starts.lo[first]!, this.starts.hi[first]!),
      end: bigFromHalves(this.ends.lo[last]!, this.ends.hi[last]!),
    };
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
  private readonly results: (ResolvedSymbol | undefined)[];
  private lastHi = -1;
  private lastLo = -1;
  private lastResult: ResolvedSymbol | undefined;

  /** `starts`, `ends` and `names` are the tree's own: it is not changed while this is used. */
  constructor(
    tree: RbTree,
    private readonly starts: Halves,
    private readonly ends: Halves,
    private readonly names: readonly string[],
  ) {
    const n = names.length;
    this.root = tree.root;
    this.left = new Int32Array(n);
    this.right = new Int32Array(n);
    this.results = new Array<ResolvedSymbol | undefined>(n);
    for (let i = 0; i < n; i++) {
      this.left[i] = tree.left(i);
      this.right[i] = tree.right(i);
    }
  }

  find(hi: number, lo: number): ResolvedSymbol | undefined {
    // dso__find_symbol() caches the last answer; so do we.
    if (hi === this.lastHi && lo === this.lastLo) return this.lastResult;
    const starts = this.starts;
    const ends = this.ends;
    let n = this.root;
    let found = -1;
    while (n !== RB_NIL) {
      const sHi = starts.hi[n]!;
      const sLo = starts.lo[n]!;
      if (hi < sHi || (hi === sHi && lo < sLo)) {
        n = this.left[n]!;
        continue;
      }
      const eHi = ends.hi[n]!;
      const eLo = ends.lo[n]!;
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
      r = {
        name: this.names[node]!,
        start: bigFromHalves(this.starts.lo[node]!, this.starts.hi[node]!),
        end: bigFromHalves(this.ends.lo[node]!, this.ends.hi[node]!),
      };
      this.results[node] = r;
    }
    return r;
  }
}
