import { beforeAll, describe, expect, it } from 'vitest';
import type { CallTreeQuery, Filters, Transform } from '../../../src/shared/contract';
import type { Profile } from '../../../src/shared/model';
import { callNode, callTree } from '../../../src/session/query/call-tree';
import { flameChart } from '../../../src/session/query/flame-chart';
import { flameGraph } from '../../../src/session/query/flame-graph';
import { foldedLines } from '../../../src/session/query/folded';
import { samplePage } from '../../../src/session/query/samples';
import { timeline } from '../../../src/session/query/timeline';
import { topFunctions } from '../../../src/session/query/top-functions';
import { textProfile } from '../../support/text-profile';

/** The whole tree, every node expanded, as indented `name total self` lines (weights in samples). */
function tree(profile: Profile, q: Omit<CallTreeQuery, 'expanded'> = { filters: {} }): string {
  let expanded: number[][] = [];
  for (;;) {
    const a = callTree(profile, { weight: 'samples', ...q, expanded });
    const paths: number[][] = [];
    const lines: string[] = [];
    for (let r = 0; r < a.func.length; r++) {
      const parent = a.parent[r]!;
      paths[r] = parent < 0 ? [a.func[r]!] : [...paths[parent]!, a.func[r]!];
      lines.push(
        `${'  '.repeat(a.depth[r]!)}${a.funcs[a.func[r]!]!.name} ${a.nodeTotal[r]} ${a.self[r]}`,
      );
    }
    const more = paths.filter((p, r) => a.children[r]! > 0);
    if (more.length === expanded.length) return lines.join('\n');
    expanded = more;
  }
}

/** The index of the function called `name`. */
function funcNamed(profile: Profile, name: string): number {
  for (let f = 0; f < profile.funcs.length; f++)
    if (profile.strings[profile.funcs.name[f]!] === name) return f;
  throw new Error(`no function ${name}`);
}

/** The model of a text profile (tests/support/text-profile.ts). */
const load = async (text: string): Promise<Profile> => (await textProfile(text)).profile;

const transformed = (profile: Profile, ...transforms: Transform[]): string =>
  tree(profile, { filters: { transforms } });

const PROFILE = `
  app;main;parse;lex 3
  app;main;parse;alloc;malloc@libc.so.6 2
  app;main;eval;alloc;malloc@libc.so.6;brk_[k] 1
  app;main;eval;eval;eval;leaf 2
  app;main 1
  worker;start@libc.so.6;work 4 thread=100/101
`;

describe('call tree', () => {
  let p: Profile;
  beforeAll(async () => {
    p = await load(PROFILE);
  });

  it('top-down: total and self per call node, heaviest first', () => {
    expect(tree(p)).toBe(
      [
        'main 9 1',
        '  parse 5 0',
        '    lex 3 3',
        '    alloc 2 0',
        '      malloc 2 2',
        '  eval 3 0',
        '    eval 2 0',
        '      eval 2 0',
        '        leaf 2 2',
        '    alloc 1 0',
        '      malloc 1 0',
        '        brk 1 1',
        'start 4 0',
        '  work 4 4',
      ].join('\n'),
    );
  });

  it('inverted: roots are where time was spent, children their callers', () => {
    expect(tree(p, { filters: {}, inverted: true })).toBe(
      [
        'work 4 4',
        '  start 4 0',
        'lex 3 3',
        '  parse 3 0',
        '    main 3 0',
        'leaf 2 2',
        '  eval 2 0',
        '    eval 2 0',
        '      eval 2 0',
        '        main 2 0',
        'malloc 2 2',
        '  alloc 2 0',
        '    parse 2 0',
        '      main 2 0',
        'brk 1 1',
        '  malloc 1 0',
        '    alloc 1 0',
        '      eval 1 0',
        '        main 1 0',
        'main 1 1',
      ].join('\n'),
    );
  });

  it('only the expanded nodes have their children listed; * expands the hottest path', () => {
    const a = callTree(p, { filters: {}, weight: 'samples', expanded: [] });
    expect([...a.func].map((f) => a.funcs[f]!.name)).toEqual(['main', 'start']);
    expect([...a.children]).toEqual([2, 1]);
    const main = a.func[0]!;
    const hot = callTree(p, {
      filters: {},
      weight: 'samples',
      expanded: [],
      expandHottest: [main],
    });
    expect(hot.hottestPath!.map((f) => hot.funcs[f]!.name)).toEqual(['main', 'parse', 'lex']);
    expect([...hot.func].map((f) => hot.funcs[f]!.name)).toEqual([
      'main',
      'parse',
      'lex',
      'alloc',
      'eval',
      'start',
    ]);
  });

  it('reveals the heaviest node of a function, its ancestors expanded', () => {
    const names = (a: { func: Int32Array; funcs: Record<number, { name: string }> }) =>
      [...a.func].map((f) => a.funcs[f]!.name);
    const alloc = funcNamed(p, 'alloc');
    const a = callTree(p, { filters: {}, weight: 'samples', expanded: [], reveal: alloc });
    expect(a.funcs[alloc]!.name).toBe('alloc');
    expect(a.revealedPath!.map((f) => a.funcs[f]!.name)).toEqual(['main', 'parse', 'alloc']);
    expect(names(a)).toEqual(['main', 'parse', 'lex', 'alloc', 'eval', 'start']);
  });

  it('the inverted hottest path follows the heaviest callers', () => {
    const malloc = funcNamed(p, 'malloc');
    const hot = callTree(p, {
      filters: {},
      inverted: true,
      weight: 'samples',
      expanded: [],
      expandHottest: [malloc],
    });
    expect(hot.hottestPath!.map((f) => hot.funcs[f]!.name)).toEqual([
      'malloc',
      'alloc',
      'parse',
      'main',
    ]);
  });

  it('sorts by self on request', () => {
    const a = callTree(p, { filters: {}, weight: 'samples', expanded: [], sortBy: 'self' });
    expect([...a.func].map((f) => a.funcs[f]!.name)).toEqual(['main', 'start']);
    const inv = callTree(p, {
      filters: {},
      weight: 'samples',
      inverted: true,
      expanded: [],
      sortBy: 'self',
    });
    expect([...inv.self]).toEqual([4, 3, 2, 2, 1, 1]);
  });

  it('refuses paths that are not function indexes', () => {
    expect(() => callTree(p, { filters: {}, expanded: [[-1]] })).toThrow(/function indexes/);
    expect(() => callTree(p, { filters: {}, expanded: 'x' as never })).toThrow(/list/);
  });
});

describe('transforms', () => {
  let p: Profile;
  beforeAll(async () => {
    p = await load(PROFILE);
  });

  it('focus-function keeps the part from the root-most occurrence; others are dropped', () => {
    expect(transformed(p, { kind: 'focus-function', name: 'eval' })).toBe(
      [
        'eval 3 0',
        '  eval 2 0',
        '    eval 2 0',
        '      leaf 2 2',
        '  alloc 1 0',
        '    malloc 1 0',
        '      brk 1 1',
      ].join('\n'),
    );
  });

  it('focus-subtree keeps samples under the path from its last function', () => {
    expect(transformed(p, { kind: 'focus-subtree', path: ['main', 'parse'] })).toBe(
      ['parse 5 0', '  lex 3 3', '  alloc 2 0', '    malloc 2 2'].join('\n'),
    );
  });

  it('focus-subtree inverted reads the path from the leaf and keeps the callers', () => {
    const t: Transform = { kind: 'focus-subtree', path: ['malloc', 'alloc'], inverted: true };
    expect(tree(p, { filters: { transforms: [t] }, inverted: true })).toBe(
      ['alloc 2 2', '  parse 2 0', '    main 2 0'].join('\n'),
    );
  });

  it('merge-function removes the frames; self time goes to the caller', () => {
    expect(transformed(p, { kind: 'merge-function', name: 'alloc' })).toBe(
      [
        'main 9 1',
        '  parse 5 0',
        '    lex 3 3',
        '    malloc 2 2',
        '  eval 3 0',
        '    eval 2 0',
        '      eval 2 0',
        '        leaf 2 2',
        '    malloc 1 0',
        '      brk 1 1',
        'start 4 0',
        '  work 4 4',
      ].join('\n'),
    );
    expect(transformed(p, { kind: 'merge-function', name: 'lex' })).toMatch(/^ {2}parse 5 3$/m);
  });

  it('drop-function drops every sample through the function', () => {
    expect(transformed(p, { kind: 'drop-function', name: 'alloc' })).toBe(
      [
        'main 6 1',
        '  parse 3 0',
        '    lex 3 3',
        '  eval 2 0',
        '    eval 2 0',
        '      eval 2 0',
        '        leaf 2 2',
        'start 4 0',
        '  work 4 4',
      ].join('\n'),
    );
  });

  it('collapse-recursion keeps the outermost call with the innermost callees, indirect too', async () => {
    const q = await load('app;main;a;b;a;b;c 2\napp;main;a;b;a;d 1');
    expect(transformed(q, { kind: 'collapse-recursion', name: 'a' })).toBe(
      ['main 3 0', '  a 3 0', '    b 2 0', '      c 2 2', '    d 1 1'].join('\n'),
    );
    expect(transformed(p, { kind: 'collapse-recursion', name: 'eval' })).toMatch(
      /^ {2}eval 3 0\n {4}leaf 2 2\n {4}alloc 1 0$/m,
    );
  });

  it('collapse-direct-recursion only joins consecutive calls', async () => {
    const q = await load('app;main;a;a;b;a;a;c 2');
    expect(transformed(q, { kind: 'collapse-direct-recursion', name: 'a' })).toBe(
      ['main 2 0', '  a 2 0', '    b 2 0', '      a 2 0', '        c 2 2'].join('\n'),
    );
  });

  it('collapse-library turns each run of a library into one frame named after it', async () => {
    const q = await load(
      'app;main;qsort@libc.so.6;cmp;memcmp@libc.so.6;x@libc.so.6 2\napp;main;qsort@libc.so.6 1',
    );
    expect(transformed(q, { kind: 'collapse-library', name: 'libc.so.6' })).toBe(
      ['main 3 0', '  libc.so.6 3 1', '    cmp 2 0', '      libc.so.6 2 2'].join('\n'),
    );
    const top = topFunctions(q, {
      filters: { transforms: [{ kind: 'collapse-library', name: 'libc.so.6' }] },
      limit: 5,
      weight: 'samples',
    });
    expect(top.rows[0]).toMatchObject({ name: 'libc.so.6', lib: 'libc.so.6', self: 3, total: 3 });
  });

  it('apply in order', async () => {
    const q = await load('app;main;a;b;a;b;c 1');
    const merge: Transform = { kind: 'merge-function', name: 'b' };
    const direct: Transform = { kind: 'collapse-direct-recursion', name: 'a' };
    expect(transformed(q, merge, direct)).toBe(['main 1 0', '  a 1 0', '    c 1 1'].join('\n'));
    expect(transformed(q, direct, merge)).toBe(
      ['main 1 0', '  a 1 0', '    a 1 0', '      c 1 1'].join('\n'),
    );
  });

  it('a stack emptied by the transforms keeps its sample, attributed to the thread alone', async () => {
    const q = await load('app;main;work 3\napp;main 1');
    const filters: Filters = {
      transforms: [
        { kind: 'merge-function', name: 'main' },
        { kind: 'merge-function', name: 'work' },
      ],
    };
    const a = callTree(q, { filters, weight: 'samples', expanded: [] });
    expect(a.total).toBe(4);
    expect(a.func.length).toBe(0);
    expect(flameGraph(q, { filters, width: 100, weight: 'samples' }).rootTotal).toBe(0);
    expect([...foldedLines(q, { filters, weight: 'samples' })].flat()).toEqual(['app 4']);
    expect(timeline(q, { filters, bins: 1 }).rows[0]!.total).toBe(4);
  });

  it('apply to the merge-off stacks when merging is off', async () => {
    const q = await load('app;main;work;read_[k] 2 merge=merged\napp;main;idle 1');
    const merged = tree(q, { filters: { transforms: [{ kind: 'focus-function', name: 'main' }] } });
    expect(merged).toBe(['main 3 0', '  work 2 0', '    read 2 2', '  idle 1 1'].join('\n'));
    const raw = tree(q, {
      filters: {
        merge: false,
        transforms: [{ kind: 'merge-function', name: '[deferred user stack]' }],
      },
    });
    expect(raw).toBe(['read 2 2', 'main 1 0', '  idle 1 1'].join('\n'));
    const rawFocus = callTree(q, {
      filters: { merge: false, transforms: [{ kind: 'focus-function', name: 'main' }] },
      weight: 'samples',
      expanded: [],
    });
    expect(rawFocus.total).toBe(1);
  });

  it('every view leaves out the samples a transform drops', () => {
    const filters: Filters = { transforms: [{ kind: 'drop-function', name: 'parse' }] };
    expect(timeline(p, { filters, bins: 4 }).rows.map((r) => r.total)).toEqual([4, 4]);
    expect(timeline(p, { filters, bins: 4 }, 0).rows.map((r) => r.total)).toEqual([4, 4]);
    expect(samplePage(p, { thread: 0, filters, offset: 0, limit: 100 }).total).toBe(4);
    expect(flameGraph(p, { filters, width: 100, weight: 'samples' }).rootTotal).toBe(8);
    expect(topFunctions(p, { filters, limit: 10, weight: 'samples' }).total).toBe(8);
    const chart = flameChart(p, { thread: 0, filters, width: 100 });
    expect(Object.values(chart.funcs).map((f) => f.name)).not.toContain('parse');
    expect([...foldedLines(p, { filters, weight: 'samples' })].flat()).not.toContainEqual(
      expect.stringContaining('parse'),
    );
  });

  it('refuses transforms a client should not send, naming the problem', () => {
    const bad = (transforms: unknown) => () =>
      callTree(p, { filters: { transforms: transforms as Transform[] }, expanded: [] });
    expect(bad([{ kind: 'fold', name: 'x' }])).toThrow(/transform 0: unknown kind "fold"/);
    expect(bad([{ kind: 'merge-function', name: '' }])).toThrow(/transform 0: the name/);
    expect(bad([{ kind: 'focus-subtree', path: [] }])).toThrow(/needs a path/);
    expect(bad(Array(33).fill({ kind: 'drop-function', name: 'x' }))).toThrow(/at most 32/);
    expect(bad([{ kind: 'drop-function', name: 'x'.repeat(5000) }])).toThrow(/1 to 4096/);
  });
});

describe('call node', () => {
  it('weights, the kernel share and the merge status of its samples', async () => {
    const q = await load('app;main;work;read_[k] 2 merge=merged\napp;main;work 1\napp;main 1');
    const main = funcNamed(q, 'main');
    const workFunc = funcNamed(q, 'work');
    const info = callNode(q, { filters: {}, path: [main, workFunc], weight: 'samples' });
    expect(info).toMatchObject({
      name: 'work',
      lib: 'prog',
      total: 3,
      self: 1,
      kernel: 2,
      user: 1,
      samples: 3,
      status: [1, 2, 0, 0],
    });
    const inverted = callNode(q, {
      filters: {},
      path: [workFunc],
      inverted: true,
      weight: 'samples',
    });
    expect(inverted).toMatchObject({ total: 1, self: 1, samples: 1 });
    expect(callNode(q, { filters: {}, path: [workFunc] }).name).toBe('');
  });

  it("the timeline bins the node's samples beside every sample", async () => {
    const q = await load(PROFILE);
    const path = ['main', 'parse'].map((n) => funcNamed(q, n));
    const a = timeline(q, { filters: {}, bins: 3, highlight: { path } });
    const sum = (b: Float64Array | undefined) => [...(b ?? [])].reduce((x, y) => x + y, 0);
    expect(a.rows.map((r) => sum(r.highlight))).toEqual([5, 0]);
    expect(a.rows.map((r) => r.total)).toEqual([9, 4]);
    const inverted = timeline(q, {
      filters: {},
      bins: 3,
      highlight: { path: [funcNamed(q, 'malloc')], inverted: true },
    });
    expect(inverted.rows.map((r) => sum(r.highlight))).toEqual([2, 0]);
  });
});
