import type { EventDesc } from '../perf-data/evlist';
import { RB_NIL, RbTree } from '../symbols/table/rb-tree';
import { CallchainRoot } from './callchain-tree';
import type { EntryKey, HistEntry } from './hist-entry';
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
}

/**
 * The histogram of one event (perf's struct hists): entries keyed by the sort keys, their
 * periods, and the totals the percentages are relative to.
 */
export class Hists {
  private readonly entries = new Map<string, HistEntry>();
  readonly ctx: SortContext;
  /** Samples of this event, filtered ones included (perf's stats.nr_samples). */
  nrSamples = 0;
  /** Sum of the sample periods (perf's stats.total_period). */
  totalPeriod = 0;
  /** Sum of the periods of samples added while call graphs are on (perf's callchain_period). */
  callchainPeriod = 0;

  constructor(
    readonly event: EventDesc,
    private readonly config: HistsConfig,
    tracepoint: boolean,
  ) {
    this.ctx = { hasDso: config.keys.some((k) => k.name === 'dso'), tracepoint };
  }

  get size(): number {
    return this.entries.size;
  }

  identity(key: EntryKey): string {
    return entryIdentity(this.config.keys, key, this.ctx);
  }

  /**
   * perf's hists__findnew_entry: adds `period` to the entry equal to `key` (its self period only
   * for the sample's own location), creating it with `key`'s fields if there is none.
   */
  add(key: EntryKey, period: number, self: boolean, identity = this.identity(key)): HistEntry {
    let he = this.entries.get(identity);
    if (!he) {
      he = {
        ...key,
        period: 0,
        accPeriod: 0,
        callchain: this.config.callchains ? new CallchainRoot() : undefined,
      };
      this.entries.set(identity, he);
    }
    if (self) {
      he.period += period;
      this.totalPeriod += period;
      if (this.config.callchains) this.callchainPeriod += period;
    }
    if (this.config.cumulate) he.accPeriod += period;
    return he;
  }

  /** perf's hist_entry__collapse: the order of its entries tree, `cmp(left, right)`. */
  private collapse(l: HistEntry, r: HistEntry): number {
    for (const k of this.config.keys) {
      const c = k.cmp(l, r, this.ctx);
      if (c) return c;
    }
    return 0;
  }

  /** perf's hist_entry__sort: overhead columns first, then the keys' sort functions. */
  private sort(a: HistEntry, b: HistEntry): number {
    if (this.config.cumulate) {
      if (a.accPeriod !== b.accPeriod) return a.accPeriod > b.accPeriod ? 1 : -1;
      // "Put caller above callee when they have equal period" (__hpp__sort_acc).
      if (a.thread === b.thread && a.callchain && b.callchain) {
        const depth = b.callchain.maxDepth - a.callchain.maxDepth;
        const ret = this.config.callerOrder ? -depth : depth;
        if (ret) return ret;
      }
    }
    if (a.period !== b.period) return a.period > b.period ? 1 : -1;
    for (const k of this.config.keys) {
      if (this.config.elided.has(k)) continue;
      const c = k.sort(a, b, this.ctx);
      if (c) return c;
    }
    return 0;
  }

  /**
   * The entries in output order (perf's output_resort): the entries of the collapsed tree, in its
   * order, inserted into an rbtree by hist_entry__sort. The insertion is replayed on Linux's
   * rbtree because the comparison is not a total order (--children compares callchain depths
   * only between entries of the same thread), so the result depends on the tree's shape.
   */
  outputOrder(): HistEntry[] {
    // In the collapsed tree a new entry goes left of `iter` when collapse(iter, new) < 0.
    const input = [...this.entries.values()].sort((a, b) => this.collapse(b, a));
    const tree = new RbTree(input.length);
    for (let i = 0; i < input.length; i++) {
      const he = input[i]!;
      let parent = RB_NIL;
      let left = false;
      for (let p = tree.root; p !== RB_NIL;) {
        parent = p;
        left = this.sort(he, input[p]!) > 0;
        p = left ? tree.left(p) : tree.right(p);
      }
      tree.link(i, parent, left);
      tree.insertColor(i);
    }
    const out: HistEntry[] = [];
    for (let n = tree.first(); n !== RB_NIL; n = tree.next(n)) out.push(input[n]!);
    return out;
  }
}
