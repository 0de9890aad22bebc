import { beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/shared/model';
import { flameGraph } from '../../../src/session/query/flame-graph';
import { flameGraphText } from '../../support/query-text';
import { textProfile } from '../../support/text-profile';

let profile: Profile;
beforeAll(async () => {
  ({ profile } = await textProfile(`
    app;main;work;hash 3 t=0 period=10
    app;main;work;sqrt 1 period=10
    app;main;read;sys_read_[k] 2 period=100
    app;main 1 period=10
  `));
});

const graph = (q: Partial<Parameters<typeof flameGraph>[1]> = {}) =>
  flameGraph(profile, { filters: {}, width: 1000, weight: 'samples', ...q });

describe('flame graph', () => {
  it('aggregates stacks into a tree: totals, self, children by name', () => {
    expect(flameGraphText(graph())).toBe(
      [
        'main 7 self=1',
        '  read 2',
        '    sys_read 2 self=2',
        '  work 4',
        '    hash 3 self=3',
        '    sqrt 1 self=1',
      ].join('\n'),
    );
  });

  it('lays nodes out left to right as fractions of the view', () => {
    const g = graph();
    expect(Array.from(g.x)).toEqual([0, 0, 0, 2 / 7, 2 / 7, 5 / 7]);
    expect(Array.from(g.w)).toEqual([1, 2 / 7, 2 / 7, 4 / 7, 3 / 7, 1 / 7]);
    expect([g.total, g.rootTotal, g.maxDepth]).toEqual([7, 7, 2]);
  });

  it('weighs by period unless asked for samples', () => {
    const g = flameGraph(profile, { filters: {}, width: 1000 });
    expect(flameGraphText(g).split('\n').slice(0, 3)).toEqual([
      'main 250 self=10',
      '  read 200',
      '    sys_read 200 self=200',
    ]);
  });

  it('zooms into a function path, as far as it exists', () => {
    const main = graph().func[0]!;
    const work = graph().func[3]!;
    const zoomed = graph({ focus: [main, work] });
    expect(zoomed.focus).toEqual([main, work]);
    expect(zoomed.total).toBe(4);
    expect(zoomed.rootTotal).toBe(7);
    expect(flameGraphText(zoomed)).toBe(
      ['work 4', '  hash 3 self=3', '  sqrt 1 self=1'].join('\n'),
    );
    expect(Array.from(zoomed.w)).toEqual([1, 0.75, 0.25]);
    // a path that leaves the tree stops where it does
    const partial = graph({ focus: [main, 999999] });
    expect(partial.focus).toEqual([main]);
    expect(partial.total).toBe(7);
  });

  it('folds away nodes narrower than a pixel, with their subtrees', () => {
    // 7 samples over 4 pixels: a pixel is 1.75 samples
    expect(flameGraphText(graph({ width: 4 }))).toBe(
      ['main 7 self=1', '  read 2', '    sys_read 2 self=2', '  work 4', '    hash 3 self=3'].join(
        '\n',
      ),
    );
  });

  it('flags search matches and counts only the outermost ones', () => {
    const g = graph({ search: '^(main|hash)$' });
    expect(
      flameGraphText(g)
        .split('\n')
        .filter((l) => l.endsWith('(match)')),
    ).toEqual(['main 7 self=1 (match)', '    hash 3 self=3 (match)']);
    expect(g.matchTotal).toBe(7);
    expect(graph({ search: 'sqrt|read' }).matchTotal).toBe(3);
  });

  it('keeps user or kernel frames only', () => {
    expect(flameGraphText(graph({ filters: { frames: 'user' } }))).toBe(
      [
        'main 7 self=1',
        '  read 2 self=2',
        '  work 4',
        '    hash 3 self=3',
        '    sqrt 1 self=1',
      ].join('\n'),
    );
    expect(flameGraphText(graph({ filters: { frames: 'kernel' } }))).toBe('sys_read 2 self=2');
  });
});

describe('flame graph of deferred stacks', () => {
  it('merged, the user stack is the caller; merging off, the cookie frame is', async () => {
    const { profile: deferred } = await textProfile(`
      app;main;poll;sys_poll_[k] 2 t=0 merge=merged
      app;main;tick 1 t=20
      app;main;wait;sys_wait_[k] 1 t=30 merge=end
    `);
    const text = (merge: boolean) =>
      flameGraphText(flameGraph(deferred, { filters: { merge }, width: 100, weight: 'samples' }));
    expect(text(true)).toBe(
      [
        '[user stack unavailable: the recording ended first] 1',
        '  sys_wait 1 self=1',
        'main 3',
        '  poll 2',
        '    sys_poll 2 self=2',
        '  tick 1 self=1',
      ].join('\n'),
    );
    expect(text(false)).toBe(
      [
        '[deferred user stack] 3',
        '  sys_poll 2 self=2',
        '  sys_wait 1 self=1',
        'main 1',
        '  tick 1 self=1',
      ].join('\n'),
    );
  });
});
