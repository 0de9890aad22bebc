import { describe, expect, it } from 'vitest';
import { StacksByChainId } from '../../../src/session/model/stacks-by-chain-id';

describe('StacksByChainId', () => {
  it('answers for the address space that resolved the chain, and only for it', () => {
    const stacks = new StacksByChainId();
    expect(stacks.get(5, 1)).toBeUndefined();
    stacks.set(5, 1, 42);
    expect(stacks.get(5, 1)).toBe(42);
    expect(stacks.get(5, 2)).toBeUndefined(); // another process, or the maps changed
    stacks.set(5, 2, -1); // a chain with no frames has stack -1: still an answer
    expect(stacks.get(5, 2)).toBe(-1);
    expect(stacks.get(5, 1)).toBeUndefined();
  });

  it('grows with the ids', () => {
    const stacks = new StacksByChainId();
    for (let id = 0; id < 100_000; id += 7) stacks.set(id, 3, id * 2);
    expect(stacks.get(99_995, 3)).toBe(199_990);
    expect(stacks.get(14, 3)).toBe(28);
    expect(stacks.get(15, 3)).toBeUndefined();
    expect(stacks.get(1_000_000, 3)).toBeUndefined();
  });
});
