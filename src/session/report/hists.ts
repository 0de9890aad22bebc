import type { EventDesc } from '../perf-data/evlist';
import { compareU64Periods } from '../perf-data/sample-read';
import { RB_NIL, RbTree } from '../symbols/table/rb-tree';
import { grown } from '../../shared/model/table-builders';
import { CallchainRoot, type CallchainBuilder } from './callchain-tree';
import { newHistEntry, type EntryKey, type HistEntry } from './hist-entry';
import { entryIdentity, type SortContext, type SortKey } from './sort-keys';

/** How the histograms of a report are built (what perf's globals decide). */
export interface HistsConfig {
  readonly keys: readonly SortKey[];
  /** Keys left out of the output: perf does not sort on them either (perf_hpp__should_skip). */
  readonly elided: ReadonlySet<SortKey>;
  /** --children: callchain entries get the sample's period as "Children". */
  readonly cumulate: boolean;
  /** Call graphs are collected and printed (perf's symbol_conf.use_callchain). */
  readonly callchains: boolean;
  /** The callchain order: with caller order, deeper chains sort first among equal children. */
  readonly callerOrder: boolean;
  /**
   * perf diff (SORT_MODE__DIFF) collapses `symbol` by name (se_collapse = sort__sym_sort: "Those
   * files could come from different binaries"), so every unresolved address of a DSO is one entry.
   */
  readonly collapseSymbolsByName?: boolean;
}

/**
 * The histogram of one event (perf's struct hists): entries keyed by the sort keys, their
 * periods, and the totals the percentages are relative to.
 */
export class Hists {
  /** Every entry made, by node number of the trees below (perf's hist_entry allocations). */
  private readonly entries: HistEntry[] = [];
  /** perf's hists->entries_in: entries in sample order, placed by hist_entry__cmp. */
  private readonly entriesIn = new RbTree(256);
  readonly ctx: SortContext;
  /** A key has its own collapse function (perf's need_collapse: only comm among these keys). */
  private readonly needCollapse: boolean;
  /** Events in the group this event leads in perf's group view (1: no group view). */
  groupSize = 1;
  /** Samples of this event, filtered ones included (perf's stats.nr_samples). */
  nrSamples = 0;
  /** Samples of entries no filter hides (perf's stats.nr_non_filtered_samples). */
  nrNonFilteredSamples = 0;
  /** Sum of the sample periods (perf's stats.total_period). */
  totalPeriod = 0;
  /** Sum of the periods of samples added while call graphs are on (perf's callchain_period). */
  callchainPeriod = 0;
  /**
   * Moves on whenever add() changes the tree or an entry's key (an entry made, rotations, an
   * entry's map replaced); `changedAt` has, per node, the generation its parent or key last
   * changed at. A walk for a key that found a node finds it again while no node from it up to
   * the root changed (the same nodes, compared with the same key, point the same way):
   * HistCollector's replays skip the walks on that ground.
   */
  generation = 0;
  private changedAt = new Int32Array(256);
  /** The node of the entry the last add() returned. */
  lastNode = RB_NIL;
  /** insert()'s scratch: nodes on the new node's path and their children, and their parents. */
  private readonly watched: number[] = [];
  private readonly watchedParents: number[] = [];

  constructor(
    readonly event: EventDesc,
    private readonly config: HistsConfig,
    tracepoint: boolean,
    /** Merges the call graphs of entries that hists__collapse_resort merges. */
    private readonly chains?: CallchainBuilder,
  ) {
    this.ctx = { hasDso: config.keys.some((k) => k.name === 'dso'), tracepoint };
    this.needCollapse = config.keys.some(
      (k) => k.name === 'comm' || (k.name === 'symbol' && config.collapseSymbolsByName),
    );
  }

  get size(): number {
    return this.entries.length;
  }

  identity(key: EntryKey): string {
    return entryIdentity(this.config.keys, key, this.ctx);
  }

  /** perf's hist_entry__cmp (and hist_entry__collapse in perf report: the same functions), `cmp(left, right)`. */
  private cmp(l: EntryKey, r: EntryKey): number {
    for (const k of this.config.keys) {
      const c = k.cmp(l, r, this.ctx);
      if (c) return c;
    }
    return 0;
  }

  /** perf's hist_entry__collapse: se_collapse where a key has one, else se_cmp. */
  private collapseCmp(l: EntryKey, r: EntryKey): number {
    if (!this.config.collapseSymbolsByName) return this.cmp(l, r);
    for (const k of this.config.keys) {
      const c = k.name === 'symbol' ? k.sort(l, r, this.ctx) : k.cmp(l, r, this.ctx);
      if (c) return c;
    }
    return 0;
  }

  /**
   * perf's hists__findnew_entry: adds `period` to the entry equal to `key` (its self period only
   * for the sample's own location), creating it with `key`'s fields if there is none. The search
   * walks perf's tree with perf's comparison, which is not a total order for unresolved symbols
   * far apart ((int64_t)(right - left) wraps), so an equal entry can be missed and made twice,
   * as perf does; hists__collapse_resort merges such twins later.
   */
  add(key: EntryKey, period: number, self: boolean): HistEntry {
    const tree = this.entriesIn;
    let parent = RB_NIL;
    let left = false;
    for (let p = tree.root; p !== RB_NIL;) {
      const he = this.entries[p]!;
      const c = this.cmp(he, key);
      if (c === 0) {
        this.addPeriods(he, period, self);
        // "If the map of an existing hist_entry has become out-of-date due to an exec()"
        if (he.map !== key.map) {
          he.map = key.map;
          this.changedAt[p] = ++this.generation;
        }
        this.lastNode = p;
        return he;
      }
      parent = p;
      left = c < 0;
      p = left ? tree.left(p) : tree.right(p);
    }
    const he = newHistEntry(key, this.config.callchains ? new CallchainRoot() : undefined);
    this.insert(he, parent, left);
    this.addPeriods(he, period, self);
    return he;
  }

  /**
   * Links a new entry and rebalances, stamping the nodes whose parent changed: rebalancing moves
   * only nodes on the new node's path and their children (Linux's __rb_insert).
   */
  private insert(he: HistEntry, parent: number, left: boolean): void {
    const tree = this.entriesIn;
    const node = this.entries.length;
    this.entries.push(he);
    if (node >= this.changedAt.length) this.changedAt = grown(this.changedAt, node);
    tree.link(node, parent, left);
    const { watched, watchedParents } = this;
    watched.length = 0;
    watchedParents.length = 0;
    for (let p = parent; p !== RB_NIL; p = tree.parent(p))
      watched.push(p, tree.left(p), tree.right(p));
    for (const n of watched) watchedParents.push(n === RB_NIL ? RB_NIL : tree.parent(n));
    tree.insertColor(node);
    const generation = ++this.generation;
    this.changedAt[node] = generation;
    for (let i = 0; i < watched.length; i++) {
      const n = watched[i]!;
      if (n !== RB_NIL && tree.parent(n) !== watchedParents[i]) this.changedAt[n] = generation;
    }
    this.lastNode = node;
  }

  /** Whether no node from `node` up to the root changed after generation `since`. */
  unchangedSince(node: number, since: number): boolean {
    const tree = this.entriesIn;
    for (let n = node; n !== RB_NIL; n = tree.parent(n))
      if (this.changedAt[n]! > since) return false;
    return true;
  }

  /**
   * What add() does to the entry it finds: `he` is what add() found for a key at this
   * generation, and the entry has that key's map.
   */
  addPeriods(he: HistEntry, period: number, self: boolean): void {
    if (self) {
      he.nrEvents++;
      if (!he.filtered) this.nrNonFilteredSamples++;
      he.period += period;
      this.totalPeriod += period;
      if (this.config.callchains) this.callchainPeriod += period;
    }
    if (this.config.cumulate) he.accPeriod += period;
  }

  /**
   * perf's hists__collapse_resort: the entries of entries_in, in its order, inserted into the
   * collapsed tree by hist_entry__collapse; an equal entry found there takes the other's periods
   * and call graph. Without a collapse key perf goes on with entries_in itself. Done once.
   */
  private collapse(): { tree: RbTree; nodes: HistEntry[] } {
    if (this.final) return this.final;
    if (!this.needCollapse) {
      this.final = { tree: this.entriesIn, nodes: this.entries };
      return this.final;
    }
    const nodes: HistEntry[] = [];
    const tree = new RbTree(this.entries.length);
    for (let n = this.entriesIn.first(); n !== RB_NIL; n = this.entriesIn.next(n)) {
      const he = this.entries[n]!;
      const { found, parent, left } = this.search(tree, nodes, he);
      if (found) {
        found.period += he.period;
        found.accPeriod += he.accPeriod;
        found.nrEvents += he.nrEvents;
        if (found.callchain && he.callchain) this.chains?.merge(found.callchain, he.callchain);
        continue;
      }
      tree.link(nodes.length, parent, left);
      tree.insertColor(nodes.length);
      nodes.push(he);
    }
    this.final = { tree, nodes };
    return this.final;
  }

  private final: { tree: RbTree; nodes: HistEntry[] } | undefined;

  /** Walks `tree` for `he` with hist_entry__collapse(iter, he): the equal entry, or where to link. */
  private search(
    tree: RbTree,
    nodes: readonly HistEntry[],
    he: EntryKey,
  ): { found: HistEntry | undefined; parent: number; left: boolean } {
    let parent = RB_NIL;
    let left = false;
    for (let p = tree.root; p !== RB_NIL;) {
      const iter = nodes[p]!;
      const c = this.collapseCmp(iter, he);
      if (c === 0) return { found: iter, parent, left };
      parent = p;
      left = c < 0;
      p = left ? tree.left(p) : tree.right(p);
    }
    return { found: undefined, parent, left };
  }

  /** The collapsed entries in the tree's order. */
  collapsedEntries(): HistEntry[] {
    const { tree, nodes } = this.collapse();
    const out: HistEntry[] = [];
    for (let n = tree.first(); n !== RB_NIL; n = tree.next(n)) out.push(nodes[n]!);
    return out;
  }

  /** perf's hists__find_entry: the collapsed entry equal to `he`. */
  find(he: EntryKey): HistEntry | undefined {
    const { tree, nodes } = this.collapse();
    return this.search(tree, nodes, he).found;
  }

  /**
   * perf's hists__add_dummy_entry (event group view): the entry equal to `pair`, or a new one
   * with its keys and no periods, linked into the collapsed tree.
   */
  addDummy(pair: HistEntry): HistEntry {
    const { tree, nodes } = this.collapse();
    const { found, parent, left } = this.search(tree, nodes, pair);
    if (found) return found;
    const he = newHistEntry(pair, pair.callchain);
    he.dummy = true;
    tree.link(nodes.length, parent, left);
    tree.insertColor(nodes.length);
    nodes.push(he);
    return he;
  }

  /** perf's hist_entry__sort: overhead columns first, then the keys' sort functions. */
  private sort(a: HistEntry, b: HistEntry): number {
    if (this.config.cumulate) {
      if (a.accPeriod !== b.accPeriod) return compareU64Periods(a.accPeriod, b.accPeriod);
      // "Put caller above callee when they have equal period" (__hpp__sort_acc).
      if (a.thread === b.thread && a.callchain && b.callchain) {
        const depth = b.callchain.maxDepth - a.callchain.maxDepth;
        const ret = this.config.callerOrder ? -depth : depth;
        if (ret) return ret;
      }
    }
    if (a.period !== b.period) return compareU64Periods(a.period, b.period);
    // __hpp__sort in the group view: then the members' periods, in member order
    for (let i = 1; i < this.groupSize; i++) {
      const c = compareU64Periods(a.pairs?.[i]?.period ?? 0, b.pairs?.[i]?.period ?? 0);
      if (c) return c;
    }
    return this.sortByKeys(a, b);
  }

  /** The sort keys' part of hist_entry__sort: their sort functions, elided keys skipped. */
  sortByKeys(a: HistEntry, b: HistEntry): number {
    for (const k of this.config.keys) {
      if (this.config.elided.has(k)) continue;
      const c = k.sort(a, b, this.ctx);
      if (c) return c;
    }
    return 0;
  }

  /**
   * The entries in output order (perf's output_resort): the collapsed entries, in the collapsed
   * tree's order, inserted into an rbtree by hist_entry__sort. Every step is replayed on Linux's
   * rbtree because no comparison here is a total order (--children compares callchain depths
   * only between entries of the same thread), so the result depends on the trees' shapes.
   * perf diff sorts with its own columns first (`compare`) and may have dropped entries (`input`).
   */
  outputOrder(
    compare: (a: HistEntry, b: HistEntry) => number = (a, b) => this.sort(a, b),
    input: readonly HistEntry[] = this.collapsedEntries(),
  ): HistEntry[] {
    const tree = new RbTree(input.length);
    for (let i = 0; i < input.length; i++) {
      const he = input[i]!;
      let parent = RB_NIL;
      let left = false;
      for (let p = tree.root; p !== RB_NIL;) {
        parent = p;
        left = compare(he, input[p]!) > 0;
        p = left ? tree.left(p) : tree.right(p);
      }
      tree.link(i, parent, left);
      tree.insertColor(i);
    }
    const out: HistEntry[] = [];
    for (let n = tree.first(); n !== RB_NIL; n = tree.next(n)) out.push(input[n]!);
    return out;
  }

  /** perf's stats.total_non_filtered_period: what hists__inc_stats adds up in output_resort. */
  nonFilteredPeriod(): number {
    let total = 0;
    for (const he of this.collapsedEntries()) if (!he.filtered) total += he.period;
    return total;
  }
}
