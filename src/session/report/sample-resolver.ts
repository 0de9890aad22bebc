import { MAX_STACK, resolveCallchain, type ChainFrame } from '../machine/callchain';
import { UserUnwinder } from '../machine/user-unwind';
import { AddressSpaceCache } from '../machine/address-space-cache';
import { ChainInterner } from '../model/chain-interner';
import { CpuMode, type Location, type Machine, type Thread } from '../machine/machine';
import { bigFromHalves, bigFromSigned, type U64Words } from '../perf-data/u64';
import type { CursorNode } from './callchain-tree';
import { dsoShortName, Filter, type EntryKey, type SymRef } from './hist-entry';
import { SymbolRefs } from './symbol-refs';
import type { Pipeline } from '../pipeline';
import type { WorkerSample } from '../pipeline-worker';
import { u64FromSigned, u64FromWords } from './u64-order';

/**
 * What a report reads of a sample: a load-worker batch row has it (runPipelineInWorker), without
 * DWARF registers (a recording with them is read on one thread).
 */
export type ReportSample = WorkerSample;

/** Locations kept at most (a recording of scattered addresses would keep one per sample). */
const MAX_KEPT_LOCATIONS = 1 << 16;

/** perf's al->level for a cpumode (thread__find_map; perf_guest is off in perf report). */
function levelOf(cpumode: number): string {
  switch (cpumode) {
    case CpuMode.KERNEL:
      return 'k';
    case CpuMode.USER:
      return '.';
    default:
      return 'H';
  }
}

/**
 * What perf report looks up for a sample: its own location (machine__resolve) and its resolved
 * callchain (thread__resolve_callchain), with the symbols of this report.
 */
/** The -S, --comms and --dsos lists of a report or diff command line. */
export interface ResolverLists {
  readonly symbolFilter: readonly string[] | undefined;
  readonly commFilter: readonly string[] | undefined;
  readonly dsoFilter: readonly string[] | undefined;
}

export class SampleResolver {
  /** Callchains by their exact words (cachedCallchain). */
  private readonly chains = new ChainInterner();
  /** location()'s keys by thread and ip, while the machine is at generation `locationsAt`. */
  private readonly locations = new Map<
    Thread,
    Map<number, { cpu: number; cpumode: number; key: EntryKey }[]>
  >();
  private locationsAt = -1;
  private kept = 0;
  /** Per address space, each chain's cursor by chain id (× 2, + 1 in caller order). */
  private readonly cursors: AddressSpaceCache<Map<number, CursorNode[]>>;
  /** Cursors cachedCallchain() made since the last forgetCursors(). */
  cursorsKept = 0;

  /** The resolver of a report or diff: the pipeline's machine and symbols, the command's lists. */
  static forPipeline(pipeline: Pipeline, lists: ResolverLists): SampleResolver {
    const set = (list: readonly string[] | undefined) => list && new Set(list);
    return new SampleResolver(
      pipeline.machine,
      new SymbolRefs(pipeline.symbols),
      set(lists.symbolFilter),
      pipeline.unwinder,
      { comms: set(lists.commFilter), dsos: set(lists.dsoFilter) },
    );
  }

  constructor(
    private readonly machine: Machine,
    private readonly symbols: SymbolRefs,
    /** The -S list: samples in other symbols are filtered out (perf's symbol_conf.sym_list). */
    private readonly symbolFilter: ReadonlySet<string> | undefined,
    /** DWARF unwinding of `--call-graph dwarf` samples' user stacks. */
    private readonly unwinder?: UserUnwinder,
    /** --comms and --dsos (perf's comm_list, dso_list). */
    private readonly lists: { comms?: ReadonlySet<string>; dsos?: ReadonlySet<string> } = {},
  ) {
    this.cursors = new AddressSpaceCache(machine, () => new Map());
  }

  /**
   * Moves on with every side-band record: a COMM renames a thread's first comm in place, which
   * the histograms' comparisons read.
   */
  get sideBandGeneration(): number {
    return this.machine.generation;
  }

  /**
   * perf's machine__resolve for the sample's ip. The same for every sample of a thread at one
   * address, mode and CPU until the next side-band record (a map, a comm): kept, so those
   * samples share one key (a map and symbol lookup fewer each, and HistCollector's replays find
   * theirs by identity).
   */
  location(s: ReportSample, trace: string | undefined): EntryKey {
    const thread = this.machine.findnewThread(s.pid, s.tid);
    if (trace !== undefined) return this.resolveLocation(thread, s, trace);
    if (this.locationsAt !== this.machine.generation || this.kept === MAX_KEPT_LOCATIONS) {
      this.locations.clear();
      this.locationsAt = this.machine.generation;
      this.kept = 0;
    }
    let byIp = this.locations.get(thread);
    if (!byIp) this.locations.set(thread, (byIp = new Map()));
    const list = byIp.get(s.ip);
    const cpumode = s.misc & 7;
    if (list) {
      for (const known of list) {
        if (known.cpu === s.cpu && known.cpumode === cpumode) return known.key;
      }
    }
    const key = this.resolveLocation(thread, s, undefined);
    const known = { cpu: s.cpu, cpumode, key };
    this.kept++;
    if (list) list.push(known);
    else byIp.set(s.ip, [known]);
    return key;
  }

  private resolveLocation(thread: Thread, s: ReportSample, trace: string | undefined): EntryKey {
    const cpumode = s.misc & 7;
    let filtered = 0;
    let loc: Location | undefined;
    switch (cpumode) {
      case CpuMode.KERNEL:
      case CpuMode.USER:
        loc = this.machine.findMap(thread, cpumode, s.ip);
        break;
      case CpuMode.GUEST_KERNEL:
      case CpuMode.GUEST_USER:
        // perf report is not told about guests (perf_guest is false): such samples are hidden.
        filtered |= Filter.GUEST;
        break;
    }
    // thread__is_filtered: the thread's comm as it is when the sample is processed
    if (this.lists.comms && !this.lists.comms.has(thread.comm)) filtered |= Filter.THREAD;
    // an address in no map is never filtered by DSO (perf 6.1 looks only at al->map)
    const dsos = this.lists.dsos;
    if (dsos && loc && !dsos.has(dsoShortName(loc.map.dso)) && !dsos.has(loc.map.dso.name)) {
      filtered |= Filter.DSO;
    }
    const sym = loc ? this.symbols.lookup(loc) : undefined;
    if (this.symbolFilter && !(loc && sym && this.matchesFilter(sym, loc, s.ip))) {
      filtered |= Filter.SYMBOL;
    }
    return {
      thread,
      comm: thread.currentComm,
      cpu: s.cpu,
      map: loc?.map,
      sym,
      ip: u64FromSigned(loc ? loc.addr : s.ip),
      level: levelOf(cpumode),
      trace,
      filtered,
    };
  }

  /** -S takes symbol names, or a symbol's start address as `0x...` (map__unmap_ip of it). */
  private matchesFilter(sym: SymRef, loc: Location, ip: number): boolean {
    const filter = this.symbolFilter!;
    if (filter.has(sym.name)) return true;
    const offset = BigInt(loc.addr) - bigFromHalves(sym.start.lo, sym.start.hi);
    const start = BigInt.asUintN(64, bigFromSigned(ip) - BigInt.asIntN(64, offset));
    return filter.has(`0x${start.toString(16)}`);
  }

  /**
   * perf's thread__resolve_callchain: the callchain's addresses with their maps and symbols,
   * innermost first (callee order) or outermost first (caller order). perf stops after 127
   * addresses, counted from the end it starts at.
   */
  callchain(
    thread: Thread,
    words: U64Words,
    callerOrder: boolean,
    sample?: ReportSample,
  ): CursorNode[] {
    let frames = resolveCallchain(this.machine, thread, words, callerOrder ? Infinity : MAX_STACK);
    // --call-graph dwarf: the unwound user frames follow the recorded (kernel) part.
    const user = sample && this.unwinder ? this.unwinder.frames(thread, sample, MAX_STACK) : [];
    if (callerOrder) frames = [...user.reverse(), ...frames.slice(-MAX_STACK).reverse()];
    else frames = [...frames, ...user];
    return frames.map((f) => ({
      ip: f.index >= 0 ? u64FromWords(words, f.index) : u64FromSigned(f.ip),
      map: f.loc?.map,
      sym: this.frameSymbol(f),
      kernel: f.cpumode === CpuMode.KERNEL || (f.loc?.map.dso.isKernel ?? false),
    }));
  }

  /**
   * callchain() resolved once per chain and address space: the samples of one chain share one
   * cursor (what HistCollector groups their call graphs by). A sample with a DWARF user stack is
   * unwound each time.
   */
  cachedCallchain(
    thread: Thread,
    words: U64Words,
    callerOrder: boolean,
    sample?: ReportSample,
    chain = -1,
  ): CursorNode[] {
    if (sample && UserUnwinder.applies(sample)) {
      return this.callchain(thread, words, callerOrder, sample);
    }
    const byChain = this.cursors.get(thread);
    // numbered already by a load worker (runPipelineInWorker): every sample's, or none
    const key = 2 * (chain >= 0 ? chain : this.chains.intern(words)) + (callerOrder ? 1 : 0);
    let cursor = byChain.get(key);
    if (!cursor) {
      cursor = this.callchain(thread, words, callerOrder);
      byChain.set(key, cursor);
      this.cursorsKept++;
    }
    return cursor;
  }

  /** Lets the cursors kept so far go (cachedCallchain makes new ones). */
  forgetCursors(): void {
    this.cursors.clear();
    this.cursorsKept = 0;
  }

  /** The frame's symbol; an inlined function is a symbol of its own starting where its caller does. */
  private frameSymbol(f: ChainFrame): SymRef | undefined {
    const outer = f.loc ? this.symbols.lookup(f.loc) : undefined;
    if (f.inlineName === undefined || !outer) return outer;
    return { name: f.inlineName, start: outer.start, dso: outer.dso, inlined: true };
  }
}
