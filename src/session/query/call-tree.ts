import type {
  CallNodeInfo,
  CallNodeQuery,
  CallTreeAnswer,
  CallTreeQuery,
  Weight,
} from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import { FuncKind, type Profile } from '../../shared/model';
import {
  resolveFilters,
  stackStatusCounts,
  stackWeights,
  stacksOf,
  type ResolvedFilters,
} from './filters';
import { funcCount, funcDictionary, funcKind, funcLib, funcLibIndex, funcName } from './func-info';
import { funcStackWeights, nodeOfPath, type FuncStackTable } from './func-stacks';

/** Rows of one answer: the view is virtualized, but a tree expanded everywhere must stay sent. */
const MAX_ROWS = 100_000;
/** Bounds on what a client may send. */
const MAX_EXPANDED = 50_000;
const MAX_PATH = 4096;

/**
 * The call tree (top-down) and its inverted form (bottom-up: roots are the functions where time
 * was spent, children their callers), as the rows a view shows: the roots, and the children of
 * every expanded node, depth first, heaviest first. Built from the transformed function stacks
 * (`stacksOf`), so every transform applies; the inverted tree is built only as deep as it is
 * expanded, in one pass over the stacks that have self weight.
 */
export function callTree(profile: Profile, q: CallTreeQuery): CallTreeAnswer {
  const f = resolveFilters(profile, q.filters);
  const table = stacksOf(profile, f);
  const expandedPaths = checkPaths(profile, q.expanded, 'expanded');
  if (q.expandHottest) checkPath(profile, q.expandHottest, 'expandHottest');
  if (q.reveal !== undefined) checkPath(profile, [q.reveal], 'reveal');
  const { total, self, nodeTotal } = nodeWeights(profile, f, table, q.weight ?? 'period');
  const expanded = new Set(expandedPaths.map(pathKey));
  const tree = q.inverted ? invertedTree(table, self) : topDownTree(table, self, nodeTotal);
  let hottestPath: number[] | undefined;
  if (q.expandHottest) {
    hottestPath = tree.hottestBelow(q.expandHottest);
    for (let k = 1; k <= (hottestPath?.length ?? 0); k++)
      expanded.add(pathKey(hottestPath!.slice(0, k)));
  }
  const revealedPath = q.reveal === undefined ? undefined : tree.heaviestOf(q.reveal);
  for (let k = 1; k < (revealedPath?.length ?? 0); k++)
    expanded.add(pathKey(revealedPath!.slice(0, k)));
  const byWeight = q.sortBy === 'self' ? 'self' : 'total';
  const rows = tree.rows(expanded, byWeight, (func) => funcName(profile, func));
  const used = new Set<number>();
  for (const r of rows.func) used.add(r);
  return {
    total,
    depth: Uint16Array.from(rows.depth),
    func: Int32Array.from(rows.func),
    parent: Int32Array.from(rows.parent),
    self: Float64Array.from(rows.self),
    nodeTotal: Float64Array.from(rows.total),
    children: Int32Array.from(rows.children),
    funcs: funcDictionary(profile, used),
    ...(hottestPath ? { hottestPath } : {}),
    ...(revealedPath ? { revealedPath } : {}),
    truncated: rows.truncated,
  };
}

interface NodeWeights {
  total: number;
  self: Float64Array;
  nodeTotal: Float64Array;
}
/** The last weights per profile: expanding and collapsing keep the filters, so they repeat. */
const lastWeights = new WeakMap<Profile, { key: string; table: FuncStackTable; w: NodeWeights }>();

/** Self and total weight of every node of `table` for the filtered samples. */
function nodeWeights(
  profile: Profile,
  f: ResolvedFilters,
  table: FuncStackTable,
  weight: Weight,
): NodeWeights {
  const key = JSON.stringify([f, weight]);
  const last = lastWeights.get(profile);
  if (last && last.key === key && last.table === table) return last.w;
  const { weights, total } = stackWeights(profile, f, weight);
  const { self, total: nodeTotal } = funcStackWeights(table, weights);
  const w = { total, self, nodeTotal };
  lastWeights.set(profile, { key, table, w });
  return w;
}

/** What the sidebar shows about one call node: weights, kernel/user share, merge statuses. */
export function callNode(profile: Profile, q: CallNodeQuery): CallNodeInfo {
  const f = resolveFilters(profile, q.filters);
  const table = stacksOf(profile, f);
  const path = checkPath(profile, q.path, 'path');
  const func = path[path.length - 1];
  const lib = func === undefined ? -1 : funcLibIndex(profile, func);
  const info: CallNodeInfo = {
    name: func === undefined ? '' : funcName(profile, func),
    lib: func === undefined ? '' : funcLib(profile, func),
    libPath: lib >= 0 ? profile.strings[profile.libs.path[lib]!]! : '',
    kind: func === undefined ? 'user' : funcKind(profile, func),
    total: 0,
    self: 0,
    kernel: 0,
    user: 0,
    samples: 0,
    status: [0, 0, 0, 0],
  };
  const members = nodeMembers(table, path, q.inverted ?? false);
  if (!members) return { ...info, name: '' };
  const node = q.inverted ? -1 : nodeOfPath(table, path);
  // Per stack, not per sample: the sums are cached, so a selection costs a pass over stacks.
  const { weights } = stackWeights(profile, f, q.weight ?? 'period');
  const counts = stackStatusCounts(profile, f);
  const { stacks, frames, funcs } = profile;
  for (let st = 0; st < stacks.length; st++) {
    const fs = table.ofStack[st]!;
    if (fs < 0 || members[fs] !== 1) continue;
    let n = 0;
    for (let k = 0; k < 4; k++) n += counts[st * 4 + k]!;
    if (n === 0) continue;
    const w = weights[st]!;
    info.total += w;
    if (fs === node || (q.inverted && path.length === 1)) info.self += w;
    info.samples += n;
    for (let k = 0; k < 4; k++) info.status[k] = info.status[k]! + counts[st * 4 + k]!;
    if (funcs.kind[frames.func[stacks.frame[st]!]!] === FuncKind.KERNEL) info.kernel += w;
    else info.user += w;
  }
  return info;
}

/**
 * Marks the function stacks whose samples belong to a call node: its subtree (top-down), or the
 * stacks whose innermost frames read `path` from the leaf (inverted). Undefined when the
 * top-down path does not exist.
 */
export function nodeMembers(
  table: FuncStackTable,
  path: readonly number[],
  inverted: boolean,
): Uint8Array | undefined {
  const members = new Uint8Array(table.length);
  if (inverted) {
    for (let fs = 0; fs < table.length; fs++) {
      let a = fs;
      let k = 0;
      while (k < path.length && a >= 0 && table.func[a] === path[k]) {
        a = table.prefix[a]!;
        k++;
      }
      if (k === path.length) members[fs] = 1;
    }
    return members;
  }
  const node = nodeOfPath(table, path);
  if (node < 0) return undefined;
  members[node] = 1;
  // prefix < index: one pass in index order reaches every descendant after its parent.
  for (let fs = node + 1; fs < table.length; fs++) {
    const p = table.prefix[fs]!;
    if (p >= 0 && members[p] === 1) members[fs] = 1;
  }
  return members;
}

interface Rows {
  depth: number[];
  func: number[];
  parent: number[];
  self: number[];
  total: number[];
  children: number[];
  truncated: boolean;
}

interface TreeView {
  /** The path (from the root) of the heaviest leaf below `path`, undefined when none. */
  hottestBelow(path: number[]): number[] | undefined;
  /** The path of the function's heaviest node (outermost on ties), undefined when none. */
  heaviestOf(func: number): number[] | undefined;
  rows(expanded: Set<string>, by: 'self' | 'total', name: (func: number) => string): Rows;
}

/** A node of either tree as `rows` walks it. */
interface Node {
  func: number;
  self: number;
  total: number;
  children: Node[];
  /** Set when the node has children that were not built (not expanded). */
  childCount: number;
}

function emptyRows(): Rows {
  return { depth: [], func: [], parent: [], self: [], total: [], children: [], truncated: false };
}

/** Depth-first rows of built nodes: heaviest first, ties by name then function index. */
function flatten(
  roots: Node[],
  expanded: Set<string>,
  by: 'self' | 'total',
  name: (func: number) => string,
): Rows {
  const out = emptyRows();
  const order = (list: Node[]): Node[] =>
    list
      .filter((n) => n.total > 0)
      .sort((a, b) => {
        const d = by === 'self' ? b.self - a.self || b.total - a.total : b.total - a.total;
        if (d) return d;
        const na = name(a.func);
        const nb = name(b.func);
        return na < nb ? -1 : na > nb ? 1 : a.func - b.func;
      });
  const visit = (n: Node, depth: number, parent: number, key: string): void => {
    if (out.func.length >= MAX_ROWS) {
      out.truncated = true;
      return;
    }
    const row = out.func.length;
    out.depth.push(depth);
    out.func.push(n.func);
    out.parent.push(parent);
    out.self.push(n.self);
    out.total.push(n.total);
    const kids = order(n.children);
    out.children.push(Math.max(kids.length, n.childCount));
    if (!expanded.has(key)) return;
    for (const c of kids) visit(c, depth + 1, row, `${key},${c.func}`);
  };
  for (const r of order(roots)) visit(r, 0, -1, String(r.func));
  return out;
}

/** Children lists of a table's nodes (cached per table: the table never changes). */
const childrenCache = new WeakMap<FuncStackTable, { roots: number[]; children: number[][] }>();
function childLists(table: FuncStackTable): { roots: number[]; children: number[][] } {
  let lists = childrenCache.get(table);
  if (!lists) {
    const roots: number[] = [];
    const children: number[][] = Array.from({ length: table.length }, () => []);
    for (let fs = 0; fs < table.length; fs++) {
      const p = table.prefix[fs]!;
      if (p < 0) roots.push(fs);
      else children[p]!.push(fs);
    }
    lists = { roots, children };
    childrenCache.set(table, lists);
  }
  return lists;
}

/** The top-down tree: the function-stack table itself, weighted. */
function topDownTree(table: FuncStackTable, self: Float64Array, total: Float64Array): TreeView {
  const { roots, children } = childLists(table);
  const weighted = (fs: number): number[] => children[fs]!.filter((c) => total[c]! > 0);
  return {
    hottestBelow(path) {
      let node = nodeOfPath(table, path);
      if (node < 0 || total[node] === 0) return undefined;
      const out = [...path];
      for (;;) {
        const kids = weighted(node);
        if (!kids.length) return out;
        node = kids.reduce((best, c) => (total[c]! > total[best]! ? c : best));
        out.push(table.func[node]!);
      }
    },
    heaviestOf(func) {
      let best = -1;
      for (let fs = 0; fs < table.length; fs++) {
        if (table.func[fs] !== func || total[fs] === 0) continue;
        if (best < 0 || total[fs]! > total[best]!) best = fs;
      }
      if (best < 0) return undefined;
      const path: number[] = [];
      for (let a = best; a >= 0; a = table.prefix[a]!) path.push(table.func[a]!);
      return path.reverse();
    },
    rows(expanded, by, name) {
      // Builds nodes only for the rows shown: roots and the children of expanded nodes.
      const build = (fs: number, key: string): Node => {
        const kids = weighted(fs);
        return {
          func: table.func[fs]!,
          self: self[fs]!,
          total: total[fs]!,
          children: expanded.has(key) ? kids.map((c) => build(c, `${key},${table.func[c]}`)) : [],
          childCount: kids.length,
        };
      };
      const built = roots.filter((r) => total[r]! > 0).map((r) => build(r, String(table.func[r])));
      return flatten(built, expanded, by, name);
    },
  };
}

/**
 * The inverted tree. A root is a function with self weight; the children of a node are the
 * callers one frame further out, over the stacks whose innermost frames read the node's path.
 * Each node's total is the self weight of those stacks; self is the root's own (a caller's
 * self is 0).
 */
function invertedTree(table: FuncStackTable, self: Float64Array): TreeView {
  const selfNodes: number[] = [];
  for (let fs = 0; fs < table.length; fs++) if (self[fs]! > 0) selfNodes.push(fs);

  /** Callers of an inverted path, by function, with their weight. */
  const callersOf = (path: readonly number[]): Map<number, number> => {
    const out = new Map<number, number>();
    for (const fs of selfNodes) {
      let a = fs;
      let k = 0;
      while (k < path.length && a >= 0 && table.func[a] === path[k]) {
        a = table.prefix[a]!;
        k++;
      }
      if (k < path.length || a < 0) continue;
      const caller = table.func[a]!;
      out.set(caller, (out.get(caller) ?? 0) + self[fs]!);
    }
    return out;
  };

  return {
    hottestBelow(path) {
      if (path.length === 0) return undefined;
      const out = [...path];
      if (!selfNodes.some((fs) => table.func[fs] === path[0])) return undefined;
      for (;;) {
        let best = -1;
        let bestWeight = 0;
        for (const [func, w] of callersOf(out)) {
          if (w > bestWeight || (w === bestWeight && func < best)) {
            best = func;
            bestWeight = w;
          }
        }
        if (best < 0 || out.length >= MAX_PATH) return out;
        out.push(best);
      }
    },
    heaviestOf(func) {
      return selfNodes.some((fs) => table.func[fs] === func) ? [func] : undefined;
    },
    rows(expanded, by, name) {
      const roots = new Map<number, Node>();
      for (const fs of selfNodes) {
        const w = self[fs]!;
        let level = roots;
        let key = '';
        let depth = 0;
        for (let a = fs; a >= 0; a = table.prefix[a]!, depth++) {
          const func = table.func[a]!;
          let node = level.get(func);
          if (!node) {
            node = { func, self: 0, total: 0, children: [], childCount: 0 };
            level.set(func, node);
          }
          node.total += w;
          if (depth === 0) node.self += w;
          key = key ? `${key},${func}` : String(func);
          const caller = table.prefix[a]!;
          if (caller < 0) break;
          node.childCount = Math.max(node.childCount, 1);
          if (!expanded.has(key)) break;
          level = childMap(node);
        }
      }
      return flatten([...roots.values()].map(freeze), expanded, by, name);
    },
  };
}

/** Children by function while the inverted tree is built, kept beside the node. */
const building = new WeakMap<Node, Map<number, Node>>();
function childMap(node: Node): Map<number, Node> {
  let map = building.get(node);
  if (!map) building.set(node, (map = new Map()));
  return map;
}
function freeze(node: Node): Node {
  const map = building.get(node);
  if (map) node.children = [...map.values()].map(freeze);
  return node;
}

function pathKey(path: readonly number[]): string {
  return path.join(',');
}

function checkPaths(profile: Profile, paths: unknown, what: string): number[][] {
  if (!Array.isArray(paths)) throw new SessionError('bad-request', `${what} must be a list`);
  if (paths.length > MAX_EXPANDED)
    throw new SessionError('bad-request', `${what}: at most ${MAX_EXPANDED} paths`);
  return paths.map((p, i) => checkPath(profile, p, `${what}[${i}]`));
}

export function checkPath(profile: Profile, path: unknown, what: string): number[] {
  const count = funcCount(profile);
  if (
    !Array.isArray(path) ||
    path.length > MAX_PATH ||
    !path.every((f) => Number.isInteger(f) && f >= 0 && f < count)
  ) {
    throw new SessionError(
      'bad-request',
      `${what} must be a list of at most ${MAX_PATH} function indexes`,
    );
  }
  return path as number[];
}
