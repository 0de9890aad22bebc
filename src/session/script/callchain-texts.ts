import { AddressSpaceCache } from '../machine/address-space-cache';
import { ChainInterner } from '../model/chain-interner';
import type { Machine, Thread } from '../machine/machine';
import type { U64Words } from '../perf-data/u64';

/** Bytes of callchain text kept at most (then the texts start over). */
const BUDGET_BYTES = 64 << 20;

/**
 * Printed callchains by their exact words, per address space, encoded: most samples repeat a
 * chain printed before, and resolving, formatting and encoding it again was most of `perfws
 * script`'s time. An address space's texts hold while its maps and the kernel's stay the same.
 * Past a memory budget the texts kept so far are let go: the chains that repeat are kept again.
 */
export class CallchainTexts {
  private ids = new ChainInterner();
  /** per output variant (fields, cookie marking): chain id -> UTF-8 text */
  private readonly spaces: AddressSpaceCache<Map<number, Map<number, Uint8Array>>>;
  private used = 0;

  constructor(machine: Machine) {
    this.spaces = new AddressSpaceCache(machine, () => new Map());
  }

  /** `chainId`: the chain's number when a load worker numbered it (every chain's, or none). */
  bytes(
    thread: Thread,
    chain: U64Words,
    variant: number,
    format: () => string,
    chainId = -1,
  ): Uint8Array {
    if (this.used > BUDGET_BYTES) {
      this.spaces.clear();
      this.ids = new ChainInterner();
      this.used = 0;
    }
    const byVariant = this.spaces.get(thread);
    let texts = byVariant.get(variant);
    if (!texts) byVariant.set(variant, (texts = new Map()));
    const id = chainId >= 0 ? chainId : this.ids.intern(chain);
    let text = texts.get(id);
    if (text === undefined) {
      text = Buffer.from(format(), 'utf8');
      texts.set(id, text);
      this.used += text.length;
    }
    return text;
  }
}
