import { describe, expect, it } from 'vitest';
import type { CallTreeAnswer, FlameGraphAnswer } from '../../src/shared/contract';
import { flameNodeOfPath } from '../../src/renderer/model/call-node-highlight';
import { callTreeRows } from '../../src/renderer/model/call-tree-rows';
import { chartBoxPath, functionMenu, transformLabel } from '../../src/renderer/menu/function-menu';

/** A flame graph answer with just the columns the lookup reads: depth first, [depth, func]. */
function flame(nodes: [number, number][], focus: number[] = []): FlameGraphAnswer {
  return {
    depth: Uint16Array.from(nodes.map((n) => n[0])),
    func: Int32Array.from(nodes.map((n) => n[1])),
    focus,
  } as unknown as FlameGraphAnswer;
}

describe('the selected call node in the flame graph', () => {
  //   1 ─ 2 ─ 3          (depth first: 1, 2, 3, 4, 5, 6)
  //     └ 4 ─ 3
  //   5 ─ 6
  const answer = flame([
    [0, 1],
    [1, 2],
    [2, 3],
    [1, 4],
    [2, 3],
    [0, 5],
    [1, 6],
  ]);

  it('is the node whose path from the root is the call path', () => {
    expect(flameNodeOfPath(answer, [1, 4, 3])).toBe(4);
    expect(flameNodeOfPath(answer, [1, 2, 3])).toBe(2);
    expect(flameNodeOfPath(answer, [5, 6])).toBe(6);
    expect(flameNodeOfPath(answer, [5])).toBe(5);
    expect(flameNodeOfPath(answer, [1, 3])).toBe(-1);
    expect(flameNodeOfPath(answer, [6])).toBe(-1);
    expect(flameNodeOfPath(answer, [])).toBe(-1);
  });

  it('counts a zoomed graph from its focus', () => {
    const zoomed = flame(
      [
        [0, 4],
        [1, 3],
      ],
      [1, 4],
    );
    expect(flameNodeOfPath(zoomed, [1, 4, 3])).toBe(1);
    expect(flameNodeOfPath(zoomed, [1, 4])).toBe(0);
    expect(flameNodeOfPath(zoomed, [5, 4, 3])).toBe(-1);
    expect(flameNodeOfPath(zoomed, [1])).toBe(-1);
  });
});

describe('call tree rows', () => {
  it('give each row its path and find a row by path', () => {
    const answer = {
      func: Int32Array.from([7, 8, 9, 10]),
      parent: Int32Array.from([-1, 0, 1, -1]),
    } as unknown as CallTreeAnswer;
    const rows = callTreeRows(answer);
    expect(rows.path(2)).toEqual([7, 8, 9]);
    expect(rows.key(3)).toBe('10');
    expect(rows.rowOf('7,8')).toBe(1);
    expect(rows.rowOf('7,9')).toBe(-1);
  });
});

describe('the function context menu', () => {
  const labels = (t: Parameters<typeof functionMenu>[0]) => functionMenu(t).map((i) => i.label);

  it('offers every transform, with the subtree and library where they exist', () => {
    expect(labels({ name: 'parse', lib: 'app', path: ['main', 'parse'] })).toEqual([
      'Merge function',
      'Focus on function',
      'Focus on subtree only',
      'Collapse recursion',
      'Collapse direct recursion only',
      'Collapse app',
      'Drop samples with this function',
      'Copy function name',
      'Copy stack',
      'Show in flame graph',
      'Show in call tree',
      'Search for this function',
    ]);
    const bare = labels({ name: '[unknown]', lib: '[unknown]' });
    expect(bare).not.toContain('Focus on subtree only');
    expect(bare).not.toContain('Copy stack');
    expect(bare.some((l) => l.startsWith('Collapse ['))).toBe(false);
  });

  it('copies the stack root first, also from the inverted tree', () => {
    const copy = (t: Parameters<typeof functionMenu>[0]) =>
      functionMenu(t).find((i) => i.label === 'Copy stack')!.command;
    expect(copy({ name: 'c', lib: 'x', path: ['a', 'b', 'c'] })).toEqual({
      type: 'copy',
      text: 'a\nb\nc',
    });
    expect(copy({ name: 'c', lib: 'x', path: ['c', 'b', 'a'], inverted: true })).toEqual({
      type: 'copy',
      text: 'a\nb\nc',
    });
    const focus = functionMenu({ name: 'c', lib: 'x', path: ['c', 'b'], inverted: true }).find(
      (i) => i.command.type === 'transform' && i.command.transform.kind === 'focus-subtree',
    )!;
    expect(focus.command).toEqual({
      type: 'transform',
      transform: { kind: 'focus-subtree', path: ['c', 'b'], inverted: true },
    });
    expect(transformLabel({ kind: 'focus-subtree', path: ['c', 'b'], inverted: true })).toBe(
      'Focus (inverted): b',
    );
  });

  it('offers Annotate for a function of a library file, not for kernel or unknown frames', () => {
    const annotate = (t: Parameters<typeof functionMenu>[0]) =>
      functionMenu(t).find((i) => i.command.type === 'annotate');
    expect(annotate({ func: 7, name: 'f', lib: 'app' })?.command).toEqual({
      type: 'annotate',
      func: 7,
    });
    expect(annotate({ func: 7, name: 'f', lib: '[kernel.kallsyms]' })).toBeUndefined();
    expect(annotate({ func: 7, name: 'f', lib: '[unknown]' })).toBeUndefined();
    expect(annotate({ name: 'f', lib: 'app' })).toBeUndefined();
  });

  it("finds a flame chart box's call path from the boxes around it", () => {
    const boxes = {
      depth: [0, 1, 1, 2],
      boxStart: [0, 0, 50, 60],
      boxEnd: [100, 50, 100, 70],
      func: [1, 2, 3, 4],
    };
    expect(chartBoxPath(boxes, 3)).toEqual([1, 3, 4]);
    expect(chartBoxPath(boxes, 1)).toEqual([1, 2]);
  });
});
