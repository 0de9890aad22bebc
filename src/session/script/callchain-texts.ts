import { ChainInterner } from '../build/chain-interner';
import type { Machine, Thread } from '../build/machine';
import type { U64Words } from '../perf-data/u64';

/** Bytes of callchain text kept at most. */
const BUDGET_BYTES = 64 << 20;

interface SpaceTexts {
  version: number;
  kernelVersion: number;
  /** per output variant (fields, cookie marking): chain id -> UTF-8 text */
  byVariant: Map<number, Map<number, Uint8Array>>;
}

/**
 * Printed callchains by their exact words, per address space, encoded: most samples repeat a
 * chain printed before, and resolving, formatting and encoding it again was most of `perfws
 * script`'s time. An address space's texts hold while its maps and the kernel's stay the same;
 * past a memory budget chains are formatted every time.
 */
export class CallchainTexts {
  private readonly ids = new ChainInterner();
  private readonly spaces = new WeakMap<object, SpaceTexts>();
  private used = 0;

  constructor(private readonly machine: Machine) {}

  bytes(thread: Thread, chain: U64Words, variant: number, format: () => string): Uint8Array {
    if (this.used > BUDGET_BYTES) return Buffer.from(format(), 'utf8');
    const maps = thread.maps;
    const kernelVersion = this.machine.kernelMaps.version;
    let space = this.spaces.get(maps);
    if (!space || space.version !== maps.version || space.kernelVersion !== kernelVersion) {
      space = { version: maps.version, kernelVersion, byVariant: new Map() };
      this.spaces.set(maps, space);
    }
    let texts = space.byVariant.get(variant);
    if (!texts) space.byVariant.set(variant, (texts = new Map()));
    const id = this.ids.intern(chain);
    let text = texts.get(id);
    if (text === undefined) {
      text = Buffer.from(format(), 'utf8');
      texts.set(id, text);
      this.used += text.length;
    }
    return text;
  }
}
