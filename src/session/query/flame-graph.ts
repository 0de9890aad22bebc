import type { FlameGraphAnswer, FlameGraphQuery } from '../../shared/contract';
import type { Profile } from '../../shared/model';
import { resolveFilters, stackWeights, stacksOf } from './filters';
import { funcDictionary, funcName, searchPattern } from './func-info';
import { funcStackWeights, type FuncStackTable } from './func-stacks';

/** Children of every weighted node, sorted by function name (flamegraph.pl's order). */
function childrenOf(
  profile: Profile,
  table: FuncStackTable,
  total: Float64Array,
): { roots: number[]; children: Map<number, number[]> } {
  const roots: number[] = [];
  const children = new Map<number, number[]>();
  for (let fs = 0; fs < table.length; fs++) {
    if (total[fs] === 0) continue;
    const p = table.prefix[fs]!;
    if (p < 0) roots.push(fs);
    else {
      let list = children.get(p);
      if (!list) children.set(p, (list = []));
      list.push(fs);
    }
  }
  const byName = (a: number, b: number): number => {
    const na = funcName(profile, table.func[a]!);
    const nb = funcName(profile, table.func[b]!);
    return na < nb ? -1 : na > nb ? 1 : a - b;
  };
  roots.sort(byName);
  for (const list of children.values()) list.sort(byName);
  return { roots, children };
}

/**
 * The aggregated call tree laid out for one view: the focused subtree scaled to the view, nodes
 * narrower than a pixel folded away (with everything below them).
 */
export function flameGraph(profile: Profile, q: FlameGraphQuery): FlameGraphAnswer {
  const f = resolveFilters(profile, q.filters);
  const weight = q.weight ?? 'period';
  const table = stacksOf(profile, f);
  const { weights } = stackWeights(profile, f, weight);
  const { self, total } = funcStackWeights(table, weights);
  const { roots, children } = childrenOf(profile, table, total);
  let rootTotal = 0;
  for (const r of roots) rootTotal += total[r]!;

  // Follow the focus path (function indexes from the root) as far as it exists.
  const focus: number[] = [];
  let level = roots;
  let focusNode = -1;
  for (const func of q.focus ?? []) {
    const next = level.find((fs) => table.func[fs] === func);
    if (next === undefined) break;
    focus.push(func);
    focusNode = next;
    level = children.get(next) ?? [];
  }
  const viewTotal = focusNode >= 0 ? total[focusNode]! : rootTotal;
  const pattern = searchPattern(q.search);
  /** Each function's name is matched once, however many nodes it has. */
  const matched = new Map<number, boolean>();
  const matches = (func: number): boolean => {
    let m = matched.get(func);
    if (m === undefined) matched.set(func, (m = pattern!.test(funcName(profile, func))));
    return m;
  };
  const width = Math.max(1, q.width);
  const minWeight = viewTotal / width; // one pixel

  const depthOut: number[] = [];
  const xOut: number[] = [];
  const wOut: number[] = [];
  const funcOut: number[] = [];
  const selfOut: number[] = [];
  const totalOut: number[] = [];
  const matchOut: number[] = [];
  let matchTotal = 0;
  let maxDepth = 0;
  const usedFuncs = new Set<number>(focus);

  const visit = (fs: number, depth: number, x: number, underMatch: boolean): void => {
    const t = total[fs]!;
    if (t < minWeight || viewTotal === 0) return;
    const func = table.func[fs]!;
    const match = pattern ? matches(func) : false;
    if (match && !underMatch) matchTotal += t;
    depthOut.push(depth);
    xOut.push(x / viewTotal);
    wOut.push(t / viewTotal);
    funcOut.push(func);
    selfOut.push(self[fs]!);
    totalOut.push(t);
    matchOut.push(match ? 1 : 0);
    usedFuncs.add(func);
    if (depth > maxDepth) maxDepth = depth;
    let cx = x;
    for (const c of children.get(fs) ?? []) {
      visit(c, depth + 1, cx, underMatch || match);
      cx += total[c]!;
    }
  };
  if (focusNode >= 0) visit(focusNode, 0, 0, false);
  else {
    let x = 0;
    for (const r of roots) {
      visit(r, 0, x, false);
      x += total[r]!;
    }
  }
  return {
    total: viewTotal,
    rootTotal,
    depth: Uint16Array.from(depthOut),
    x: Float64Array.from(xOut),
    w: Float64Array.from(wOut),
    func: Int32Array.from(funcOut),
    self: Float64Array.from(selfOut),
    nodeTotal: Float64Array.from(totalOut),
    match: Uint8Array.from(matchOut),
    funcs: funcDictionary(profile, usedFuncs),
    focus,
    matchTotal,
    maxDepth,
  };
}
