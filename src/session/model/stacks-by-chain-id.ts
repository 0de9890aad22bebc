/**
 * Stacks by the load worker's chain id, each kept for the address space that resolved it last.
 * Chain ids are dense (the worker numbers chains 0, 1, 2, …), so two typed arrays answer a
 * lookup that a Map per address space answered with a hash probe, millions of times per load.
 * A chain met in another address space (or after its maps changed) is resolved again there.
 */
export class StacksByChainId {
  /** The address space (a number from 1; 0: none) each entry is for. */
  private space = new Int32Array(1024);
  private stack = new Int32Array(1024);

  /** The stack of chain `id` in address space `space`, or undefined when not known there. */
  get(id: number, space: number): number | undefined {
    return id < this.space.length && this.space[id] === space ? this.stack[id] : undefined;
  }

  set(id: number, space: number, stack: number): void {
    if (id >= this.space.length) {
      const capacity = Math.max(2 * this.space.length, id + 1);
      const grownSpace = new Int32Array(capacity);
      grownSpace.set(this.space);
      const grownStack = new Int32Array(capacity);
      grownStack.set(this.stack);
      this.space = grownSpace;
      this.stack = grownStack;
    }
    this.space[id] = space;
    this.stack[id] = stack;
  }
}
