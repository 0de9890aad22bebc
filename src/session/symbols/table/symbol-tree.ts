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
import { TWO_32, bigFromHalves } from '../../perf-data/u64.js';
import { RB_NIL, RbTree } from './rb-tree.js';
import {
  duplicatesToDrop,
  fixupEnds,
  grownHalves,
  type Halves,
  type SymbolColumns,
  type SymbolNames,
} from './symbol-fixups.js';

export { STB_GLOBAL, STB_LOCAL, STB_WEAK } from './symbol-fixups.js';

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

const U64_MASK = (1n << 64n) - 1n;

/** A bigint as the uint32 halves of a u64 (wrapping, as perf's u64 arithmetic does). */
export function halvesOf(v: bigint): { hi: number; lo: number } {
  const u = v & U64_MASK;
  return { hi: Number(u >> 32n), lo: Number(u & 0xffff_ffffn) };
}

export class SymbolTree {
  private readonly tree = new RbTree();
  /** Per node (erased ones too): start and exclusive end as uint32 halves, binding, name. */
  private starts: Halves = { hi: new Uint32Array(64), lo: new Uint32Array(64) };
  private ends: Halves = { hi: new Uint32Array(64), lo: new Uint32Array(64) };
  private bindings: number[] = [];
  private names: SymbolNames = [];
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
    this.ownNames().push(name);
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

  /**
   * insertHalves() of every symbol of `s` in index order. When this tree is empty and the symbols
   * come with strictly ascending starts, each ending at or before the next one starts, no two can
   * hold the same address: every search tree over them answers symbols__find() alike (the one
   * symbol that holds it is on the search path whatever the shape). The columns then become the
   * tree's own, linked balanced at once instead of by 100,000 rebalancing inserts (kallsyms).
   */
  insertAll(s: SymbolColumns & { bindings: number[] }): void {
    const n = s.names.length;
    if (this.names.length > 0 || !ascendingApart(s, n)) {
      for (let i = 0; i < n; i++)
        this.insertHalves(
          s.starts.hi[i]!,
          s.starts.lo[i]!,
          s.ends.hi[i]!,
          s.ends.lo[i]!,
          s.bindings[i]!,
          s.names.at(i)!,
        );
      return;
    }
    this.frozen = undefined;
    this.starts = s.starts;
    this.ends = s.ends;
    this.bindings = s.bindings;
    this.names = s.names;
    this.tree.buildBalanced(n);
    this.live = n;
    this.rightmost = n > 0 ? n - 1 : RB_NIL;
  }

  /** The names as an array of the tree's own, to add to (TextNames are cut once for it). */
  private ownNames(): string[] {
    const names = this.names;
    if (!Array.isArray(names))
      this.names = Array.from({ length: names.length }, (_, i) => names.at(i)!);
    return this.names as string[];
  }

  private grow(capacity: number): void {
    this.starts = grownHalves(this.starts, capacity);
    this.ends = grownHalves(this.ends, capacity);
  }

  /** Whether a start goes left of node `p` (an equal start goes right, after it). */
  private startsBelow(hi: number, lo: number, p: number): boolean {
    const pHi = this.starts.hi[p]!;
    return hi < pHi || (hi === pHi && lo < this.starts.lo[p]!);
  }

  private columns(): SymbolColumns {
    return { starts: this.starts, ends: this.ends, bindings: this.bindings, names: this.names };
  }

  /** The live nodes in address order (ties in insertion order). */
  private inOrder(): Int32Array {
    const order = new Int32Array(this.live);
    let k = 0;
    for (let n = this.tree.first(); n !== RB_NIL; n = this.tree.next(n)) order[k++] = n;
    return order;
  }

  /** symbols__fixup_end() (symbol-fixups.ts). */
  fixupEnd(isKallsyms: boolean): void {
    this.frozen = undefined;
    const names = this.names;
    fixupEnds(
      this.columns(),
      this.inOrder(),
      isKallsyms ? (i) => names.at(i)!.includes('[') : undefined,
    );
  }

  /** symbols__fixup_duplicate() (symbol-fixups.ts). */
  fixupDuplicate(): void {
    this.frozen = undefined;
    for (const node of duplicatesToDrop(this.columns(), this.inOrder())) this.erase(node);
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
    return this.freeze().find(Math.floor(addr / TWO_32), addr >>> 0);
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

/**
 * Whether the first `n` symbols of `s` start strictly ascending and each ends (exclusive) at or
 * before the next one's start: then the addresses symbols__find() matches to each (from its
 * start up to its end, or its start alone when it has no size) never overlap.
 */
function ascendingApart(s: SymbolColumns, n: number): boolean {
  const { starts, ends } = s;
  for (let i = 0; i + 1 < n; i++) {
    const nextHi = starts.hi[i + 1]!;
    const nextLo = starts.lo[i + 1]!;
    const startHi = starts.hi[i]!;
    if (startHi > nextHi || (startHi === nextHi && starts.lo[i]! >= nextLo)) return false;
    const endHi = ends.hi[i]!;
    if (endHi > nextHi || (endHi === nextHi && ends.lo[i]! > nextLo)) return false;
  }
  return true;
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
    private readonly names: SymbolNames,
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
        name: this.names.at(node)!,
        start: bigFromHalves(this.starts.lo[node]!, this.starts.hi[node]!),
        end: bigFromHalves(this.ends.lo[node]!, this.ends.hi[node]!),
      };
      this.results[node] = r;
    }
    return r;
  }
}
