import { describe, expect, it } from 'vitest';
import { getOrInsertComputed } from '../../src/session/get-or-insert';

describe('getOrInsertComputed', () => {
  it('computes a missing value once and returns the stored one afterwards', () => {
    const map = new Map<string, number[]>();
    let computed = 0;
    const make = (): number[] => {
      computed++;
      return [computed];
    };
    const first = getOrInsertComputed(map, 'a', make);
    expect(getOrInsertComputed(map, 'a', make)).toBe(first);
    expect(computed).toBe(1);
    expect(map.get('a')).toBe(first);
  });

  it('works on a WeakMap and hands the key to compute', () => {
    const map = new WeakMap<object, string>();
    const key = { name: 'k' };
    expect(getOrInsertComputed(map, key, (k) => (k as { name: string }).name)).toBe('k');
    expect(map.get(key)).toBe('k');
  });

  it('keeps a falsy value (0) instead of computing it again', () => {
    const map = new Map<string, number>();
    getOrInsertComputed(map, 'zero', () => 0);
    expect(getOrInsertComputed(map, 'zero', () => 1)).toBe(0);
  });
});
