import type {
  CallersAnswer,
  CallersQuery,
  TopFunctionsAnswer,
  TopFunctionsQuery,
} from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import type { Profile } from '../../shared/model';
import { resolveFilters, stackWeights, stacksOf } from './filters';
import { funcCount, funcKind, funcLib, funcName, searchPattern } from './func-info';
import { funcStackWeights } from './func-stacks';

/**
 * Self and total weight per function. Total counts a function once per stack even when it
 * recurses (perf report --children does the same).
 */
export function topFunctions(profile: Profile, q: TopFunctionsQuery): TopFunctionsAnswer {
  const f = resolveFilters(profile, q.filters);
  const table = stacksOf(profile, f);
  const { weights, total } = stackWeights(profile, f, q.weight ?? 'period');
  const { self: fsSelf } = funcStackWeights(table, weights);
  const count = funcCount(profile);
  const self = new Float64Array(count);
  const inclusive = new Float64Array(count);
  const seen = new Int32Array(count).fill(-1);
  for (let fs = 0; fs < table.length; fs++) {
    const w = fsSelf[fs]!;
    if (w === 0) continue;
    const leaf = table.func[fs]!;
    self[leaf] = self[leaf]! + w;
    for (let a = fs; a >= 0; a = table.prefix[a]!) {
      const func = table.func[a]!;
      if (seen[func] === fs) continue; // recursion: once per stack
      seen[func] = fs;
      inclusive[func] = inclusive[func]! + w;
    }
  }
  const by = q.sortBy === 'total' ? inclusive : self;
  const search = searchPattern(q.search);
  const order: number[] = [];
  for (let func = 0; func < count; func++)
    if (inclusive[func]! > 0 && (!search || search.test(funcName(profile, func)))) order.push(func);
  order.sort((a, b) => by[b]! - by[a]! || inclusive[b]! - inclusive[a]! || a - b);
  const rows = order.slice(0, Math.max(0, q.limit)).map((func) => ({
    func,
    name: funcName(profile, func),
    lib: funcLib(profile, func),
    kind: funcKind(profile, func),
    self: self[func]!,
    total: inclusive[func]!,
  }));
  return { total, rows };
}

/**
 * Who calls a function: a bottom-up tree rooted at the function, each level one caller further
 * out, weighted by the function's total. In a recursive stack the innermost occurrence counts.
 */
export function callers(profile: Profile, q: CallersQuery): CallersAnswer {
  const f = resolveFilters(profile, q.filters);
  const table = stacksOf(profile, f);
  if (!Number.isInteger(q.func) || q.func < 0 || q.func >= funcCount(profile)) {
    throw new SessionError('bad-request', `no function ${q.func}`);
  }
  const { weights } = stackWeights(profile, f, q.weight ?? 'period');
  const { self: fsSelf } = funcStackWeights(table, weights);
  const maxDepth = q.maxDepth ?? 64;
  interface Node {
    func: number;
    total: number;
    children: Map<number, Node>;
  }
  const root: Node = { func: q.func, total: 0, children: new Map() };
  for (let fs = 0; fs < table.length; fs++) {
    const w = fsSelf[fs]!;
    if (w === 0) continue;
    let at = fs;
    while (at >= 0 && table.func[at] !== q.func) at = table.prefix[at]!;
    if (at < 0) continue;
    root.total += w;
    let node = root;
    let depth = 0;
    for (let c = table.prefix[at]!; c >= 0 && depth < maxDepth; c = table.prefix[c]!, depth++) {
      const func = table.func[c]!;
      let next = node.children.get(func);
      if (!next) node.children.set(func, (next = { func, total: 0, children: new Map() }));
      next.total += w;
      node = next;
    }
  }
  const nodes: CallersAnswer['nodes'] = [];
  const walk = (n: Node, depth: number): void => {
    nodes.push({
      depth,
      func: n.func,
      name: funcName(profile, n.func),
      lib: funcLib(profile, n.func),
      total: n.total,
    });
    [...n.children.values()].sort((a, b) => b.total - a.total).forEach((c) => walk(c, depth + 1));
  };
  if (root.total > 0) walk(root, 0);
  return { total: root.total, nodes };
}
