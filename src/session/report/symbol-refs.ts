import type { Location } from '../machine/machine';
import type { Symbolizer } from '../machine/symbolize';
import type { SymRef } from './hist-entry';
import { u64FromSigned, u64Key } from './u64-order';

/**
 * Symbols of resolved locations as shared objects: the same symbol of the same DSO is always the
 * same SymRef, as perf's hist entries and callchain nodes share one `struct symbol`.
 */
export class SymbolRefs {
  private readonly refs = new Map<string, SymRef>();

  constructor(private readonly symbolizer: Symbolizer) {}

  lookup(loc: Location): SymRef | undefined {
    const hit = this.symbolizer.lookup(loc);
    if (!hit) return undefined;
    const start = u64FromSigned(loc.addr - hit.offset);
    const dso = loc.map.dso;
    const key = `${dso.id}/${u64Key(start)}/${hit.name}`;
    let ref = this.refs.get(key);
    if (!ref) {
      ref = { name: hit.name, start, dso };
      this.refs.set(key, ref);
    }
    return ref;
  }
}
