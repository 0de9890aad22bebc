import type { U64Words } from '../perf-data/u64';
import type { CallchainBuilder, CallchainRoot, CursorNode } from './callchain-tree';
import type { EntryKey, HistEntry } from './hist-entry';
import type { Hists, HistsConfig } from './hists';
import type { ReportSample, SampleResolver } from './sample-resolver';

/** The positions in a cursor whose entries a sample adds with --children, and their levels. */
interface CumulativeEntries {
  /** The level of the sample's own entry they were worked out for. */
  level: string;
  at: number[];
  levels: string[];
}

/**
 * The call-graph appends of samples that share a cursor and append it to the same entries, from
 * the same positions: summed, they are appended once (flush).
 */
interface AppendGroup {
  cursor: readonly CursorNode[];
  roots: CallchainRoot[];
  starts: number[];
  period: number;
  count: number;
}

/**
 * The entries a sample's adds found (its own, then its --children ones and where in the cursor
 * each starts, and their nodes), for the samples after it with the same location and cursor:
 * while no node on the way to them changed (Hists.unchangedSince) nor a thread's name
 * (`sideBand`), their adds walk the same nodes with the same keys and find the same entries, so
 * they are replayed without the walks.
 */
interface Replay {
  readonly hists: Hists;
  /** The histogram's generation the entries were last found (or checked) at. */
  generation: number;
  readonly sideBand: number;
  readonly self: EntryKey;
  readonly hasChain: boolean;
  readonly own: HistEntry;
  readonly cumulative: HistEntry[];
  /** The nodes of `own`, then of `cumulative`. */
  readonly nodes: number[];
  readonly at: readonly number[];
  /** The call-graph appends' group (the same appends every time): joined without a search. */
  group?: AppendGroup;
}

/** Replays kept per cursor (samples of one chain on many CPUs differ by `cpu`). */
const MAX_REPLAYS_PER_CURSOR = 16;

/**
 * Cursors kept before the groups are appended and what was kept per cursor is let go: a
 * recording whose chains rarely repeat (deferred ones read with merging off: every chain ends in
 * its own cookie) would otherwise keep a cursor, groups and replays for almost every sample.
 */
const MAX_CURSORS = 1 << 16;

/**
 * Adds samples to histograms as perf's hist_entry_iter does (util/hist.c): the sample's own
 * entry, its callchain, and with --children one entry per distinct callchain entry.
 *
 * The entries are added sample by sample, in order (their tree depends on it). Their call graphs
 * (a sample appends its chain to each of its entries, tens of times a sample with --children)
 * do not: a call-graph tree is the same whatever order its chains come in, and its nodes keep the
 * entries of the first chain through them, which appending groups in the order of their first
 * sample keeps too. So with `grouped` the samples of one chain are appended once, after the last
 * sample (flush()); DWARF recordings, whose every sample unwinds to a cursor of its own, are
 * appended as they come. With `grouped` too, a sample like an earlier one replays the entries
 * that one found where walking would find them again (Replay): the walks, tens a sample with
 * --children, were most of a report's time.
 */
export class HistCollector {
  /** perf's callchain cursor outlives a sample: a sample without callchain reuses it. */
  private cursor: CursorNode[] = [];
  private readonly groups = new Map<readonly CursorNode[], AppendGroup[]>();
  private readonly groupOrder: AppendGroup[] = [];
  /** The current sample's appends: the entries' call graphs and where in the cursor each starts. */
  private roots: CallchainRoot[] = [];
  private starts: number[] = [];
  /** With grouped cursors: per cursor, cumulativeEntries() by the sample's own entry. */
  private readonly cumulative = new Map<readonly CursorNode[], Map<HistEntry, CumulativeEntries>>();
  /** With grouped cursors: per cursor, the adds of its latest samples (Replay). */
  private readonly replays = new Map<readonly CursorNode[], Replay[]>();

  constructor(
    private readonly config: HistsConfig,
    private readonly resolver: SampleResolver,
    private readonly chains: CallchainBuilder,
    private readonly grouped: boolean,
    private readonly maxCursors = MAX_CURSORS,
  ) {}

  add(
    hists: Hists,
    s: ReportSample,
    words: U64Words | undefined,
    trace: string | undefined,
    chain = -1,
  ): void {
    if (this.resolver.cursorsKept >= this.maxCursors) this.startOver();
    const self = this.resolver.location(s, trace);
    const { cumulate, callchains, callerOrder } = this.config;
    if (words && (callchains || cumulate)) {
      this.cursor = this.grouped
        ? this.resolver.cachedCallchain(self.thread, words, callerOrder, s, chain)
        : this.resolver.callchain(self.thread, words, callerOrder, s);
    }
    hists.nrSamples++;
    const hasChain = words !== undefined;
    let replay = this.grouped ? this.replayFor(hists, self, hasChain) : undefined;
    if (replay) this.replay(replay, s.period);
    else {
      const generation = hists.generation;
      const sideBand = this.resolver.sideBandGeneration;
      const he = hists.add(self, s.period, true);
      // hist_entry__append_callchain: only for a sample that has a callchain.
      if (callchains && hasChain) this.append(he.callchain!, 0, s.period);
      const cumulative: HistEntry[] = [];
      const nodes = [hists.lastNode];
      const at = cumulate ? this.addCumulative(hists, self, he, s.period, cumulative, nodes) : [];
      // a sample whose adds changed the tree is no model: a walk made before a change may not
      // find what it made (perf's comparison is not a total order)
      if (this.grouped && hists.generation === generation) {
        replay = this.remember({
          hists,
          generation,
          sideBand,
          self,
          hasChain,
          own: he,
          cumulative,
          nodes,
          at,
        });
      }
    }
    if (this.roots.length > 0) {
      const group = this.endSample(s.period);
      if (replay) replay.group = group;
    }
  }

  /** What a sample at `self` with the current cursor adds, when an earlier one's still holds. */
  private replayFor(hists: Hists, self: EntryKey, hasChain: boolean): Replay | undefined {
    const list = this.replays.get(this.cursor);
    const r = list?.[replayIndex(list, hists, self, hasChain)];
    return r && r.sideBand === this.resolver.sideBandGeneration && current(r) ? r : undefined;
  }

  private remember(replay: Replay): Replay {
    let list = this.replays.get(this.cursor);
    if (!list) this.replays.set(this.cursor, (list = []));
    const same = replayIndex(list, replay.hists, replay.self, replay.hasChain);
    if (same >= 0) list.splice(same, 1);
    else if (list.length === MAX_REPLAYS_PER_CURSOR) list.shift();
    list.push(replay);
    return replay;
  }

  /** The adds of `r`'s sample, for this one: its periods, and its call graphs' appends. */
  private replay(r: Replay, period: number): void {
    const { hists, own, cumulative, at, group } = r;
    hists.addPeriods(own, period, true);
    for (let k = 0; k < cumulative.length; k++) hists.addPeriods(cumulative[k]!, period, false);
    if (group) {
      group.period += period;
      group.count++;
      return;
    }
    if (!this.config.callchains) return;
    if (r.hasChain) this.append(own.callchain!, 0, period);
    for (let k = 0; k < cumulative.length; k++)
      this.append(cumulative[k]!.callchain!, at[k]!, period);
  }

  /** The grouped call graphs appended (call once, after the last sample). */
  flush(): void {
    for (const g of this.groupOrder) {
      for (let i = 0; i < g.roots.length; i++) {
        this.chains.append(g.roots[i]!, g.cursor, g.period, g.starts[i], g.count);
      }
    }
    this.groups.clear();
    this.groupOrder.length = 0;
  }

  /**
   * The groups so far appended, and what was kept per cursor forgotten. The trees are those of
   * appending every group at the end: appending them in the order of their first sample keeps,
   * in each node, the entries of the first chain through it, and a chain that comes again later
   * is appended again through nodes its first group already made.
   */
  private startOver(): void {
    this.flush();
    // new cursors from here on: what was kept by the old ones would not be found again
    this.resolver.forgetCursors();
    this.cumulative.clear();
    this.replays.clear();
  }

  /** The cursor from `start` on appended to `root`: now, or with the sample's group. */
  private append(root: CallchainRoot, start: number, period: number): void {
    if (!this.grouped) {
      this.chains.append(root, this.cursor, period, start);
      return;
    }
    this.roots.push(root);
    this.starts.push(start);
  }

  /** The sample's appends join the group of an earlier sample that made the same ones. */
  private endSample(period: number): AppendGroup {
    const { cursor, roots, starts } = this;
    let groups = this.groups.get(cursor);
    if (!groups) this.groups.set(cursor, (groups = []));
    let group: AppendGroup | undefined;
    for (let k = groups.length - 1; k >= 0 && !group; k--) {
      if (sameAppends(groups[k]!, roots, starts)) group = groups[k];
    }
    if (!group) {
      group = { cursor, roots, starts, period: 0, count: 0 };
      groups.push(group);
      this.groupOrder.push(group);
      this.roots = [];
      this.starts = [];
    } else {
      roots.length = 0;
      starts.length = 0;
    }
    group.period += period;
    group.count++;
    return group;
  }

  /**
   * iter_add_next_cumulative_entry: every callchain entry gets the period once per sample
   * (recursion is counted once), and the rest of the chain from it as its call graph. The
   * entries it adds to go to `found`, their nodes to `nodes`; returns where in the cursor each
   * starts.
   */
  private addCumulative(
    hists: Hists,
    self: EntryKey,
    own: HistEntry,
    period: number,
    found: HistEntry[],
    nodes: number[],
  ): readonly number[] {
    const cursor = this.cursor;
    const { at, levels } = this.cumulativeEntries(hists, self, own);
    for (let k = 0; k < at.length; k++) {
      const i = at[k]!;
      const node = cursor[i]!;
      const key: EntryKey = {
        thread: self.thread,
        comm: self.comm,
        cpu: self.cpu,
        map: node.map,
        sym: node.sym,
        ip: node.ip,
        level: levels[k]!,
        trace: self.trace,
        filtered: self.filtered,
      };
      const he = hists.add(key, period, false);
      found.push(he);
      nodes.push(hists.lastNode);
      if (this.config.callchains) this.append(he.callchain!, i, period);
    }
    return at;
  }

  /**
   * The cursor's entries that get an entry of their own (not one the sample already has, by the
   * sort keys), with their levels: the same for every sample of one cursor whose own entry is the
   * same (`own`: entries are equal by the sort keys exactly when their identities are) and has
   * the same level. With grouped cursors, worked out once for each.
   */
  private cumulativeEntries(hists: Hists, self: EntryKey, own: HistEntry): CumulativeEntries {
    const cursor = this.cursor;
    let known: Map<HistEntry, CumulativeEntries> | undefined;
    if (this.grouped) {
      known = this.cumulative.get(cursor);
      if (!known) this.cumulative.set(cursor, (known = new Map()));
      const plan = known.get(own);
      if (plan?.level === self.level) return plan;
    }
    const selfIdentity = hists.identity(self);
    const plan: CumulativeEntries = { level: self.level, at: [], levels: [] };
    const seen = new Set<string>([selfIdentity]);
    // fill_callchain_info keeps the level of the previous entry for an address in no map.
    let level = self.level;
    for (let i = 0; i < cursor.length; i++) {
      const node = cursor[i]!;
      if (node.sym || node.map) level = node.kernel ? 'k' : '.';
      const identity = hists.identity({
        ...self,
        map: node.map,
        sym: node.sym,
        ip: node.ip,
        level,
      });
      if (seen.has(identity)) continue;
      seen.add(identity);
      plan.at.push(i);
      plan.levels.push(level);
    }
    if (known && !known.has(own)) known.set(own, plan);
    return plan;
  }
}

/** Whether `r`'s entries are still what walks for its keys find (checked once a generation). */
function current(r: Replay): boolean {
  const { hists, nodes } = r;
  if (r.generation === hists.generation) return true;
  for (let i = 0; i < nodes.length; i++)
    if (!hists.unchangedSince(nodes[i]!, r.generation)) return false;
  r.generation = hists.generation;
  return true;
}

/** The newest replay of `list` for a sample at `self` of `hists`, or -1. */
function replayIndex(
  list: readonly Replay[],
  hists: Hists,
  self: EntryKey,
  hasChain: boolean,
): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i]!;
    if (r.hists === hists && r.hasChain === hasChain && sameKey(r.self, self)) return i;
  }
  return -1;
}

/** Keys equal field by field (all that add() compares or copies). */
function sameKey(a: EntryKey, b: EntryKey): boolean {
  if (a === b) return true;
  return (
    a.thread === b.thread &&
    a.comm === b.comm &&
    a.cpu === b.cpu &&
    a.map === b.map &&
    a.sym === b.sym &&
    a.ip.hi === b.ip.hi &&
    a.ip.lo === b.ip.lo &&
    a.level === b.level &&
    a.trace === b.trace &&
    a.filtered === b.filtered
  );
}

function sameAppends(
  g: AppendGroup,
  roots: readonly CallchainRoot[],
  starts: readonly number[],
): boolean {
  if (g.roots.length !== roots.length) return false;
  for (let i = 0; i < roots.length; i++) {
    if (g.roots[i] !== roots[i] || g.starts[i] !== starts[i]) return false;
  }
  return true;
}
