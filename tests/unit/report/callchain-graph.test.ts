import { describe, expect, it } from 'vitest';
import type { Dso, MapEntry } from '../../../src/session/machine/maps';
import { CallGraphPrinter, type GraphStyle } from '../../../src/session/report/callgraph-print';
import {
  CallchainBuilder,
  CallchainRoot,
  sortGraphAbs,
  sortGraphRel,
  type CursorNode,
} from '../../../src/session/report/callchain-tree';
import { u64FromSigned } from '../../../src/session/report/u64-order';

function dso(id: number, name: string): Dso {
  return { id, name, kind: 'file', isKernel: false };
}
function map(d: Dso): MapEntry {
  return { start: 0x1000, end: 0x9000, pgoff: 0, dso: d, identity: false, prot: 5, flags: 0 };
}

const LIB = map(dso(0, '/lib/a.so'));
const OTHER = map(dso(1, '/lib/b.so'));
const syms = new Map<string, CursorNode>();
/** A resolved frame; the same name is the same symbol. */
function f(name: string, start: number, m = LIB): CursorNode {
  const key = `${m.dso.id}/${name}`;
  if (!syms.has(key)) {
    const sym = { name, start: u64FromSigned(start), dso: m.dso };
    syms.set(key, { ip: u64FromSigned(start + 4), map: m, sym, kernel: false });
  }
  return syms.get(key)!;
}
/** An unresolved frame in no map. */
function raw(ip: number): CursorNode {
  return { ip: u64FromSigned(ip), map: undefined, sym: undefined, kernel: false };
}

const builder = new CallchainBuilder((d) => (d ? d.id : -1));
const GRAPH: GraphStyle = { mode: 'graph', value: 'percent', printLimit: 0, skipOwnSymbol: false };

function tree(chains: [CursorNode[], number][]): CallchainRoot {
  const root = new CallchainRoot();
  for (const [chain, period] of chains) builder.append(root, chain, period);
  return root;
}

const A = f('A', 0x100);
const B = f('B', 0x200);
const C = f('C', 0x300);
const D = f('D', 0x400);
const E = f('E', 0x500);

describe('callchain tree (perf append_chain / split_add_child)', () => {
  it('shares common prefixes and splits nodes where chains diverge', () => {
    const root = tree([
      [[A, B, C], 1],
      [[A, B, D], 2],
      [[A, E], 3],
      [[A, B], 4],
    ]);
    const top = [...root.node.children];
    expect(top).toHaveLength(1);
    expect(top[0]!.val.map((n) => n.sym!.name)).toEqual(['A']);
    expect(top[0]!.cumulHits).toBe(10);
    const [e, b] = top[0]!.children; // in-order: greatest key first
    expect(e!.val.map((n) => n.sym!.name)).toEqual(['E']);
    expect(b!.val.map((n) => n.sym!.name)).toEqual(['B']);
    expect(b!.hit).toBe(4); // the chain that ends at B
    expect(b!.childrenHit).toBe(3);
    expect(root.maxDepth).toBe(3);
  });

  it('orders siblings by DSO first, then by symbol start or raw address', () => {
    const root = tree([
      [[A, f('X', 0x900, OTHER)], 1],
      [[A, raw(0x7000)], 1],
      [[A, B], 1],
      [[A, raw(0x8000)], 1],
    ]);
    const names = [...[...root.node.children][0]!.children].map((c) =>
      c.val[0]!.sym ? c.val[0]!.sym.name : c.val[0]!.ip.lo.toString(16),
    );
    expect(names).toEqual(['X', 'B', '8000', '7000']);
  });

  it('keeps thousands of siblings in order and finds each again (one child per cookie)', () => {
    // a prime stride visits every address once, in an order far from sorted
    const n = 5000;
    const addresses = Array.from({ length: n }, (_, i) => 0x1000 + ((i * 2731) % n));
    const root = tree(addresses.map((ip) => [[A, raw(ip)], 1]));
    for (const ip of addresses.slice(0, 100)) builder.append(root, [A, raw(ip)], 2);
    const kids = [...[...root.node.children][0]!.children];
    expect(kids).toHaveLength(n);
    expect(kids.map((c) => c.val[0]!.ip.lo)).toEqual(
      [...addresses].sort((a, b) => b - a), // greatest first
    );
    const again = new Set(addresses.slice(0, 100));
    for (const c of kids) expect(c.hit).toBe(again.has(c.val[0]!.ip.lo) ? 3 : 1);
  });
});

describe('call graph printing (perf ui/stdio/hist.c)', () => {
  const root = tree([
    [[A, B, C], 1],
    [[A, B, D], 2],
    [[A, E], 3],
  ]);

  it('prints one chain without a percentage, then the branches with their rails', () => {
    sortGraphAbs(root.node, 0);
    expect(new CallGraphPrinter(GRAPH).format(root, 6, 6)).toBe(
      [
        '            |',
        '            ---A',
        '               |          ',
        '               |--50.00%--E',
        '               |          ',
        '                --50.00%--B',
        '                          |          ',
        '                          |--33.33%--D',
        '                          |          ',
        '                           --16.67%--C',
        '',
        '',
      ].join('\n'),
    );
  });

  it('drops branches under the threshold; fractal shows what is left as [...]', () => {
    sortGraphAbs(root.node, 2);
    expect(new CallGraphPrinter(GRAPH).format(root, 6, 6)).not.toContain('--C');
    sortGraphRel(root.node, 0.4);
    const fractal = new CallGraphPrinter({ ...GRAPH, mode: 'fractal' }).format(root, 60, 6);
    expect(fractal).toContain('|--66.67%--D');
    expect(fractal).toContain(' --33.33%--[...]');
  });

  it('prints the entry percentages of the total with several roots', () => {
    const two = tree([
      [[A, B], 1],
      [[C, D], 3],
    ]);
    sortGraphAbs(two.node, 0);
    const text = new CallGraphPrinter(GRAPH).format(two, 8, 4);
    expect(text.split('\n').slice(0, 3)).toEqual([
      '            |          ',
      '            |--37.50%--C',
      '            |          D',
    ]);
  });

  it('prints unresolved addresses as %#lx', () => {
    const r = tree([[[A, raw(0), raw(0x7f0012345678)], 1]]);
    sortGraphAbs(r.node, 0);
    expect(new CallGraphPrinter(GRAPH).format(r, 1, 1)).toContain(
      '               0\n               0x7f0012345678\n',
    );
  });
});
