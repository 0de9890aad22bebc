import { bigFromSigned } from '../perf-data/u64';
import type { LoadedDso, LoadedKernel, ResolvedSymbol, SymbolResolver } from '../symbols';
import type { Location, Machine } from './machine';
import type { Dso } from './maps';

/** A symbol found for an address: its name and the offset of the address in it. */
export interface SymbolHit {
  name: string;
  offset: number;
}

/** Turns a resolved location into a symbol; undefined prints as `[unknown]`. */
export interface Symbolizer {
  lookup(loc: Location): SymbolHit | undefined;
}

/** The start of a symbol in the signed address encoding (exact for kernel addresses too). */
function signedStart(sym: ResolvedSymbol): number {
  return Number(BigInt.asIntN(64, sym.start));
}

/**
 * Symbols for the machine's maps, as perf resolves them: user DSOs by path and build-id, JIT maps
 * from perf-PID.map, the kernel and its modules from kallsyms. Lookups are cached per DSO and
 * address: a recording repeats the same few thousand frames a million times.
 */
export class MachineSymbolizer implements Symbolizer {
  private readonly perDso = new Map<
    number,
    { table: LoadedDso | undefined; hits: Map<number, SymbolHit | null> }
  >();
  private kernel: LoadedKernel | undefined;

  constructor(
    private readonly resolver: SymbolResolver,
    private readonly machine: Machine,
  ) {}

  lookup(loc: Location): SymbolHit | undefined {
    const entry = this.entry(loc.map.dso, loc);
    const dso = loc.map.dso;
    const cached = entry.hits.get(loc.addr);
    if (cached !== undefined) return cached ?? undefined;
    const hit = this.find(dso, entry.table, loc);
    entry.hits.set(loc.addr, hit ?? null);
    return hit;
  }

  /** False when no symbols could be found for the DSO (no file, wrong build-id, stripped). */
  resolved(dso: Dso): boolean {
    if (dso.kind === 'kernel') return this.kernelTable()?.resolved ?? false;
    if (dso.kind === 'anon') return false;
    return this.perDso.get(dso.id)?.table?.resolved ?? false;
  }

  private entry(
    dso: Dso,
    loc: Location,
  ): { table: LoadedDso | undefined; hits: Map<number, SymbolHit | null> } {
    let entry = this.perDso.get(dso.id);
    if (!entry) {
      entry = { table: this.load(dso, loc), hits: new Map() };
      this.perDso.set(dso.id, entry);
    }
    return entry;
  }

  private find(dso: Dso, table: LoadedDso | undefined, loc: Location): SymbolHit | undefined {
    let sym: ResolvedSymbol | undefined;
    let addr = loc.addr;
    if (dso.kind === 'kernel') {
      sym = this.kernelTable()?.find(bigFromSigned(addr));
    } else if (dso.kind === 'module') {
      addr = loc.addr - loc.map.start; // module symbols are relative to the module map
      sym = table?.find(addr >= 0 ? addr : bigFromSigned(addr));
    } else {
      sym = table?.find(addr >= 0 ? addr : bigFromSigned(addr));
    }
    if (!sym) return undefined;
    return { name: sym.name, offset: addr - signedStart(sym) };
  }

  private load(dso: Dso, loc: Location): LoadedDso | undefined {
    switch (dso.kind) {
      case 'kernel':
        return undefined;
      case 'module':
        return this.kernelTable()?.module(dso.name.replace(/^\[|\]$/g, ''));
      case 'anon':
        return undefined;
      case 'file':
      case 'vdso':
      case 'jit':
        return this.resolver.dso({ path: dso.name, buildId: dso.buildId });
      default: {
        const never: never = dso.kind;
        void loc;
        return never;
      }
    }
  }

  private kernelTable(): LoadedKernel | undefined {
    if (this.kernel) return this.kernel;
    const kernelDso = this.machine.allDsos().find((d) => d.kind === 'kernel');
    const ref = this.machine.kernelRefSymbol;
    const modules = this.machine.kernelMaps
      .all()
      .filter((m) => m.dso.kind === 'module')
      .map((m) => ({ name: m.dso.name.replace(/^\[|\]$/g, ''), start: bigFromSigned(m.start) }));
    this.kernel = this.resolver.kernel({
      buildId: kernelDso?.buildId,
      refSymbol: ref ? { name: ref.name, addr: bigFromSigned(ref.addr) } : undefined,
      modules,
    });
    return this.kernel;
  }
}
