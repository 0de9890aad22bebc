import { beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/shared/model';
import { callers, topFunctions } from '../../../src/session/query/top-functions';
import { topFunctionsText } from '../../support/query-text';
import { textProfile } from '../../support/text-profile';

let profile: Profile;
beforeAll(async () => {
  ({ profile } = await textProfile(`
    app;main;a;b;a 2 t=0 period=5
    app;main;a 1 period=5
    app;main;b 1 period=5
    app;main;b;read_[k] 1 period=50
  `));
});

const top = (q: Partial<Parameters<typeof topFunctions>[1]> = {}) =>
  topFunctionsText(topFunctions(profile, { filters: {}, limit: 100, weight: 'samples', ...q }));

describe('top functions', () => {
  it('self is where samples end; total counts a function once per stack, recursion or not', () => {
    expect(top()).toEqual(['a 3 3', 'b 1 4', 'read 1 1', 'main 0 5']);
    expect(top({ sortBy: 'total' })).toEqual(['main 0 5', 'b 1 4', 'a 3 3', 'read 1 1']);
    expect(top({ limit: 2 })).toEqual(['a 3 3', 'b 1 4']);
  });

  it('weighs by period unless asked for samples', () => {
    const answer = topFunctions(profile, { filters: {}, limit: 100 });
    expect(answer.total).toBe(70);
    expect(topFunctionsText(answer)).toEqual(['read 50 50', 'a 15 15', 'b 5 65', 'main 0 70']);
  });

  it('keep user or kernel frames only', () => {
    expect(top({ filters: { frames: 'user' } })).toEqual(['a 3 3', 'b 2 4', 'main 0 5']);
    expect(top({ filters: { frames: 'kernel' } })).toEqual(['read 1 1']);
  });
});

describe('callers', () => {
  it('a bottom-up tree of who calls a function, weighted by its total (ties in stack order)', () => {
    const b = topFunctions(profile, { filters: {}, limit: 100 }).rows.find((r) => r.name === 'b')!;
    const tree = callers(profile, { filters: {}, func: b.func, weight: 'samples' });
    expect(tree.total).toBe(4);
    expect(tree.nodes.map((n) => `${'  '.repeat(n.depth)}${n.name} ${n.total}`)).toEqual([
      'b 4',
      '  a 2',
      '    main 2',
      '  main 2',
    ]);
  });
});
