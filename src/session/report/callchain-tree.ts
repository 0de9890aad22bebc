import type { Dso, MapEntry } from '../machine/maps';
import type { SymRef } from './hist-entry';
import { compareU64, type U64 } from './u64-order';

/** One resolved callchain entry (perf's callchain_cursor_node). */
export interface CursorNode {
  /** The raw address, exact. */
  readonly ip: U64;
  readonly map: MapEntry | undefined;
  readonly sym: SymRef | undefined;
  /** Looked up in the kernel maps (perf's al->maps == machine's kernel maps). */
  readonly kernel: boolean;
}

/**
 * perf orders DSOs by the address of their `struct dso`. Pointers are not observable here; the
 * order in which perf creates its DSOs stands in for them (DsoOrder in dso-order.ts).
 */
export type DsoRank = (dso: Dso | undefined) => number;

/** Most nodes have no children: one empty list for all of them (a report can have millions). */
const NO_NODES: readonly CallchainNode[] = Object.freeze([]);
/** The entries of a root node (every other node's are its own). */
const NO_ENTRIES: readonly CursorNode[] = Object.freeze([]);

/** One node of perf's callchain radix tree: a run of entries shared by the chains below it. */
export class CallchainNode {
  val: readonly CursorNode[] = NO_ENTRIES;
  /** perf's rb_root_in: children in the tree's in-order, keyed by their first entry. */
  children = NO_CHILDREN;
  /** perf's rb_root after sorting: the children that pass the threshold, biggest first. */
  sorted: readonly CallchainNode[] = NO_NODES;
  /** Period of the chains that end here, and of those that continue below. */
  hit = 0;
  childrenHit = 0;
  count = 0;
  childrenCount = 0;

  get cumulHits(): number {
    return this.hit + this.childrenHit;
  }

  get cumulCount(): number {
    return this.count + this.childrenCount;
  }
}

/** perf's struct callchain_root: the chains of one hist entry. */
export class CallchainRoot {
  readonly node = new CallchainNode();
  /** The longest chain appended (perf's max_depth; --children sorts callers first with it). */
  maxDepth = 0;
}

/**
 * Builds perf's callchain trees (util/callchain.c: append_chain, split_add_child) with the
 * `function` key: entries match when they are the same symbol of the same DSO, unresolved entries
 * when they are the same address of the same DSO.
 */
export class CallchainBuilder {
  constructor(private readonly dsoRank: DsoRank) {}

  /** match() against a child's first entry: ChildRuns' order, made once (not once a search). */
  private readonly orderOfChild = (node: CursorNode, child: CallchainNode): number =>
    this.match(node, child.val[0]!);

  /** perf's match_chain(node, cnode): -1 (LT), 0 (EQ) or 1 (GT), comparing cnode to node. */
  match(node: CursorNode, cnode: CursorNode): number {
    const left = cnode.map?.dso;
    const right = node.map?.dso;
    if (left !== right) return this.dsoRank(left) < this.dsoRank(right) ? -1 : 1;
    if (node.sym && cnode.sym) {
      // Inlined frames share their caller's start: perf compares them by name.
      if (node.sym.inlined || cnode.sym.inlined) {
        return cnode.sym.name < node.sym.name ? -1 : cnode.sym.name > node.sym.name ? 1 : 0;
      }
      return compareU64(cnode.sym.start, node.sym.start);
    }
    return compareU64(cnode.ip, node.ip);
  }

  /**
   * perf's callchain_append of the chain `cursor` from entry `start` on, `count` times (samples of
   * one chain and period `period` in all: the tree does not depend on the order of its chains).
   */
  append(
    root: CallchainRoot,
    cursor: readonly CursorNode[],
    period: number,
    start = 0,
    count = 1,
  ): void {
    const depth = cursor.length - start;
    if (depth <= 0) return;
    this.appendChildren(root.node, cursor, start, period, count);
    if (depth > root.maxDepth) root.maxDepth = depth;
  }

  /**
   * perf's callchain_merge (merge_chain_branch): every chain of `src` appended to `dst` with its
   * own hit, in the order of src's tree, when hists__collapse_resort merges two entries.
   */
  merge(dst: CallchainRoot, src: CallchainRoot): void {
    const walk = (node: CallchainNode, path: CursorNode[]): void => {
      const here = [...path, ...node.val];
      if (node.hit && here.length) this.appendChildren(dst.node, here, 0, node.hit);
      for (const child of node.children) walk(child, here);
    };
    walk(src.node, []);
  }

  private appendChildren(
    root: CallchainNode,
    cursor: readonly CursorNode[],
    pos: number,
    period: number,
    count = 1,
  ): void {
    const node = cursor[pos]!;
    const kids = root.children;
    const found = kids === NO_CHILDREN ? undefined : kids.find(node, this.orderOfChild);
    if (found) this.appendChain(found, cursor, pos, period, count);
    else if (kids === NO_CHILDREN)
      root.children = new ChildRuns(newChild(cursor, pos, period, count));
    else kids.insertAtFound(newChild(cursor, pos, period, count));
    root.childrenHit += period;
    root.childrenCount += count;
  }

  /** Called for a child whose first entry matches `cursor[pos]`. */
  private appendChain(
    root: CallchainNode,
    cursor: readonly CursorNode[],
    start: number,
    period: number,
    count: number,
  ): void {
    let pos = start;
    for (const cnode of root.val) {
      const node = cursor[pos];
      if (!node || this.match(node, cnode) !== 0) break;
      pos++;
    }
    const matches = pos - start;
    if (matches < root.val.length) {
      this.splitAddChild(root, cursor, pos, matches, period, count);
      return;
    }
    if (pos === cursor.length) {
      root.hit += period;
      root.count += count;
      return;
    }
    this.appendChildren(root, cursor, pos, period, count);
  }

  /** perf's split_add_child: `parent` keeps its first `matches` entries, a new child the rest. */
  private splitAddChild(
    parent: CallchainNode,
    cursor: readonly CursorNode[],
    pos: number,
    matches: number,
    period: number,
    count: number,
  ): void {
    const tail = new CallchainNode();
    tail.children = parent.children;
    tail.val = parent.val.slice(matches);
    parent.val = parent.val.slice(0, matches);
    tail.hit = parent.hit;
    tail.childrenHit = parent.childrenHit;
    tail.count = parent.count;
    tail.childrenCount = parent.childrenCount;
    parent.children = new ChildRuns(tail);
    parent.childrenHit = tail.cumulHits;
    parent.childrenCount = tail.cumulCount;
    if (pos < cursor.length) {
      parent.hit = 0;
      parent.childrenHit += period;
      parent.count = 0;
      parent.childrenCount += count;
      const branch = newChild(cursor, pos, period, count);
      if (this.match(cursor[pos]!, tail.val[0]!) < 0) parent.children.unshift(branch);
      else parent.children.push(branch);
    } else {
      parent.hit = period;
      parent.count = count;
    }
  }
}

/** Children per run of a ChildRuns, at most (a run is split in two past it). */
const MAX_RUN = 512;

/**
 * A node's children in the tree's in-order, in runs of at most MAX_RUN: inserting into one array
 * moved every later child, and a node can have hundreds of thousands of them (one per cookie
 * under a deferred sample's marker, merging off).
 */
export class ChildRuns implements Iterable<CallchainNode> {
  private readonly runs: CallchainNode[][];
  /** Where find() last found nothing: the run, and the place in it the key goes. */
  private run = 0;
  private at = 0;

  /** Children start with one: a childless node has NO_CHILDREN, the one made without. */
  constructor(first?: CallchainNode) {
    this.runs = first ? [[first]] : [];
  }

  /**
   * The child that `order` says has `key` (0), or undefined, remembering where it goes.
   * `order(key, child)` < 0: the key goes before the child. A new key greater than a child's goes
   * to its left, so the in-order runs from the greatest key down.
   */
  find<K>(key: K, order: (key: K, child: CallchainNode) => number): CallchainNode | undefined {
    const runs = this.runs;
    let lo = 0;
    let hi = runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const run = runs[mid]!;
      const cmp = order(key, run[run.length - 1]!);
      if (cmp === 0) return run[run.length - 1];
      if (cmp < 0) hi = mid;
      else lo = mid + 1;
    }
    if (lo === runs.length) {
      // after every child: at the end of the last run
      this.run = Math.max(0, lo - 1);
      this.at = lo ? runs[lo - 1]!.length : 0;
      return undefined;
    }
    const run = runs[lo]!;
    let from = 0;
    let to = run.length - 1; // its last child is after the key
    while (from < to) {
      const mid = (from + to) >> 1;
      const cmp = order(key, run[mid]!);
      if (cmp === 0) return run[mid];
      if (cmp < 0) to = mid;
      else from = mid + 1;
    }
    this.run = lo;
    this.at = from;
    return undefined;
  }

  /** Inserts `child` where the last find() that found nothing said it goes. */
  insertAtFound(child: CallchainNode): void {
    this.insert(this.run, this.at, child);
  }

  unshift(child: CallchainNode): void {
    this.insert(0, 0, child);
  }

  push(child: CallchainNode): void {
    const last = this.runs.length - 1;
    this.insert(last, this.runs[last]!.length, child);
  }

  private insert(r: number, at: number, child: CallchainNode): void {
    const runs = this.runs;
    if (this === NO_CHILDREN) throw new Error('a childless node shares its children');
    const run = runs[r]!;
    run.splice(at, 0, child);
    if (run.length > MAX_RUN) runs.splice(r + 1, 0, run.splice(run.length >> 1));
  }

  *[Symbol.iterator](): Iterator<CallchainNode> {
    for (const run of this.runs) yield* run;
  }
}

/** The children of every childless node: most nodes (a report can have millions). */
const NO_CHILDREN = new ChildRuns();

function newChild(
  cursor: readonly CursorNode[],
  pos: number,
  period: number,
  count: number,
): CallchainNode {
  const child = new CallchainNode();
  child.val = cursor.slice(pos);
  child.hit = period;
  child.count = count;
  return child;
}

/**
 * perf's sort_chain_graph_abs (graph): keeps children with at least `minHit` period, biggest
 * first, ties in tree order.
 */
export function sortGraphAbs(node: CallchainNode, minHit: number): void {
  const kept: CallchainNode[] = [];
  for (const child of node.children) {
    sortGraphAbs(child, minHit);
    if (child.cumulHits >= minHit) kept.push(child);
  }
  node.sorted = kept.length ? kept.sort((a, b) => b.cumulHits - a.cumulHits) : NO_NODES;
}

/** perf's sort_chain_graph_rel (fractal): the threshold is relative to each parent. */
export function sortGraphRel(node: CallchainNode, minFraction: number): void {
  const minHit = Math.ceil(node.childrenHit * minFraction);
  const kept: CallchainNode[] = [];
  for (const child of node.children) {
    sortGraphRel(child, minFraction);
    if (child.cumulHits >= minHit) kept.push(child);
  }
  node.sorted = kept.length ? kept.sort((a, b) => b.cumulHits - a.cumulHits) : NO_NODES;
}
