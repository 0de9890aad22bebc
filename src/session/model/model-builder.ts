import {
  FrameTableBuilder,
  FuncKind,
  FuncTableBuilder,
  LibKind,
  LibTableBuilder,
  MergeStatus,
  StackTableBuilder,
  StringTableBuilder,
  type DeferredRecordTable,
  type EventInfo,
  type IndexIntoFrameTable,
  type IndexIntoFuncTable,
  type IndexIntoLibTable,
  type IndexIntoStackTable,
  type Profile,
  type ThreadInfo,
  type UnresolvedLib,
} from '../../shared/model';
import fs from 'node:fs';
import { AttrType, ContextNum, Feature } from '../perf-data/constants';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import type { CommRecord, MmapRecord, TaskRecord } from '../perf-data/records';
import type { Sample } from '../perf-data/sample';
import { wordsLength, type U64Words } from '../perf-data/u64';
import { MAX_STACK, walkCallchain, type ChainFrame } from '../machine/callchain';
import { AddressSpaceCache } from '../machine/address-space-cache';
import { CpuMode, type Machine, type Thread } from '../machine/machine';
import type { Dso } from '../machine/maps';
import { Pipeline, type PipelineOptions } from '../pipeline';
import {
  BatchChains,
  ItemKind,
  hasAny,
  sampleFacts,
  type BatchSampleFacts,
  type SampleBatch,
} from './sample-batches';
import type { MachineSymbolizer } from '../machine/symbolize';
import { runHeard, startLoadWorker } from './load-worker-host';
import { DeferredRecordTableBuilder, SampleTableBuilder, type ReadShare } from './thread-columns';
import { StacksByChainId } from './stacks-by-chain-id';
import { LoadSums } from './load-sums';
import { UserUnwinder } from '../machine/user-unwind';
import { isSideBand } from '../machine/machine';
import type { KernelRecord } from '../perf-data/records';
import {
  TimelineCollector,
  isTimelineRecord,
  type TimelineRecordFacts,
} from './timeline-collector';
import { TraceFactsReader, type TraceFacts } from './trace-facts';

export interface LoadOptions extends PipelineOptions {
  /**
   * true: read on this thread; false: a worker reads while this thread builds the model; default:
   * a worker for large recordings (readsInWorker).
   */
  singleThread?: boolean;
  /**
   * Keep the merging-off view (default): each sample's stack as recorded and the
   * CALLCHAIN_DEFERRED records the merge consumed. A command that shows merged stacks only
   * leaves it out (a quarter of a deferred recording's peak memory); the profile then says so
   * (meta.rawView false) and refuses queries with merging off.
   */
  rawView?: boolean;
  /**
   * Of the consumed CALLCHAIN_DEFERRED records keep only those that merged into no sample or are
   * not of the thread of their samples (a file can say so); the others (one per merged sample or
   * so: about a sixth of a deferred recording's load) are read again when first asked for
   * (later-records.ts), and the profile says so (meta.deferredRecordsLater). Every other part of
   * the merging-off view is kept. Not for a recording read from stdin (read once).
   */
  recordsLater?: boolean;
  /** Every byte is read; sorting and freezing the tables follows (seconds for huge recordings). */
  onBuilding?: () => void;
}

/** What the builder needs of a sample: a parsed Sample has it, so does a load-worker batch row. */
export interface SampleFacts extends BatchSampleFacts {
  regsUser?: Sample['regsUser'];
  stackUser?: Sample['stackUser'];
}

/** The tables a model interns its rows into: strings, libraries, functions, frames, stacks. */
export interface ModelTables {
  strings: StringTableBuilder;
  libs: LibTableBuilder;
  funcs: FuncTableBuilder;
  frames: FrameTableBuilder;
  stacks: StackTableBuilder;
}

function newModelTables(): ModelTables {
  const strings = new StringTableBuilder();
  return {
    strings,
    libs: new LibTableBuilder(strings),
    funcs: new FuncTableBuilder(strings),
    frames: new FrameTableBuilder(),
    stacks: new StackTableBuilder(),
  };
}

/** Chains kept per hash by chainStack(). */
const MAX_CHAINS_PER_HASH = 8;

const LIB_KIND: Record<Dso['kind'], LibKind> = {
  file: LibKind.FILE,
  kernel: LibKind.KERNEL,
  module: LibKind.MODULE,
  vdso: LibKind.VDSO,
  jit: LibKind.JIT,
  anon: LibKind.ANON,
};

/** The synthetic library's key among the DSO ids (which count up from 0). */
const SYNTHETIC_LIB_KEY = -1;

/** Names of the frames the workstation adds where a user stack is missing or deferred. */
export const SYNTHETIC = {
  unmergedEnd: '[user stack unavailable: the recording ended first]',
  unmergedMismatch: '[user stack unavailable: cookie mismatch]',
  deferredCookie: '[deferred user stack]',
} as const;

class ThreadBuilder {
  readonly samples: SampleTableBuilder;
  readonly deferred: DeferredRecordTableBuilder;
  /** Samples met by a builder that keeps none (ModelBuilder.recordsOnly). */
  seen = 0;
  constructor(
    readonly thread: Thread,
    read: ReadShare,
  ) {
    this.samples = new SampleTableBuilder(read);
    this.deferred = new DeferredRecordTableBuilder(read);
  }
}

/** A thread's builder found for (pid, tid) while the machine was at `generation`. */
interface ThreadBuilderHit {
  pid: number;
  tid: number;
  generation: number;
  tb: ThreadBuilder;
}

/** Whether `hit` is the builder of (pid, tid) at the machine's `generation`. */
function isFor(
  hit: ThreadBuilderHit | undefined,
  pid: number,
  tid: number,
  generation: number,
): hit is ThreadBuilderHit {
  return !!hit && hit.tid === tid && hit.pid === pid && hit.generation === generation;
}

/** A resolved chain, cached: most samples repeat a stack seen before in the same address space. */
interface ChainCacheEntry {
  words: U64Words;
  base: number;
  stack: number;
}

interface ChainCache {
  byHash: Map<number, ChainCacheEntry[]>;
  /** Numbers the address space (and version of its maps) in the by-chain-id lookups. */
  space: number;
  /**
   * The frame of each user and kernel address met in this address space: distinct chains share
   * most of their addresses, each found in the maps and the frame table once.
   */
  userFrames: Map<number, IndexIntoFrameTable>;
  kernelFrames: Map<number, IndexIntoFrameTable>;
}

/**
 * Builds the columnar profile (src/shared/model) from the pipeline's samples: interns libraries,
 * functions, frames and prefix-encoded stacks, and keeps per-thread sample columns. Each sample
 * gets two stacks: merged (perf 6.19's default view) and as recorded (merging off), so switching
 * the view never re-reads the file (but for the records LoadOptions.recordsLater leaves out).
 */
export class ModelBuilder {
  private readonly strings: StringTableBuilder;
  /** Keyed by DSO id; the synthetic library by SYNTHETIC_LIB_KEY. */
  private readonly libs: LibTableBuilder;
  /** Each library's DSO, for its unresolved flag and the unresolved-library list. */
  private readonly libDso: (Dso | undefined)[] = [];
  private readonly funcs: FuncTableBuilder;
  /** Address spaces: a DSO's id, or -1 - cpumode for addresses in no mapping. */
  private readonly frames: FrameTableBuilder;
  private readonly stacks: StackTableBuilder;
  private readonly threads = new Map<Thread, ThreadBuilder>();
  /** How much of the recording the load worker has read: sizes the thread columns. */
  readonly read: ReadShare = { fraction: 0 };
  /** Per address space: resolved chains, valid while its maps do not change. */
  private readonly chainCache: AddressSpaceCache<ChainCache>;
  /** A load worker's chains, numbered by this thread. */
  private readonly batchChains = new BatchChains();
  /** Address spaces numbered so far (ChainCache.space). */
  private spaces = 0;
  /** Whole chains' stacks by chain number (SessionChains). */
  private readonly stackById = new StacksByChainId();
  /** Merged chains' stacks as recorded (kernel part, then the cookie) by chain id. */
  private readonly recordedById = new StacksByChainId();
  /** Merged chains' tails' stacks (their deferred records' ips) by chain id. */
  private readonly tailById = new StacksByChainId();
  /** Frames per library, for the unresolved-library list. */
  private readonly libFrames = new Map<IndexIntoLibTable, number>();
  private last: ThreadBuilderHit | undefined;
  private beforeLast: ThreadBuilderHit | undefined;
  /** Switches and markers for the timeline. */
  private readonly timeline: TimelineCollector;
  /**
   * The samples' time range and each event's sample count and period, kept as samples come:
   * finish() runs after the last batch, on the load's critical path, where two more passes
   * over millions of samples cost ~50 ms.
   */
  private firstTime = Infinity;
  private lastTime = -Infinity;
  private readonly eventSamples: number[] = [];
  private readonly eventPeriods: number[] = [];
  private readonly sums = new LoadSums();
  /** resolvedStack()'s addresses, innermost first (a chain keeps at most MAX_STACK). */
  private readonly chainEntries = {
    ips: new Float64Array(MAX_STACK),
    modes: new Uint8Array(MAX_STACK),
    indexes: new Int32Array(MAX_STACK),
  };

  constructor(
    private readonly machine: Machine,
    private readonly symbols: MachineSymbolizer,
    private readonly unwinder: UserUnwinder,
    /** See LoadOptions.rawView. */
    private readonly rawView = true,
    /** The tables to intern into: its own, or those of a model built before (later-records.ts). */
    readonly tables: ModelTables = newModelTables(),
  ) {
    this.strings = tables.strings;
    this.libs = tables.libs;
    this.funcs = tables.funcs;
    this.frames = tables.frames;
    this.stacks = tables.stacks;
    this.timeline = new TimelineCollector(this.strings);
    this.chainCache = new AddressSpaceCache(machine, () => ({
      byHash: new Map(),
      space: ++this.spaces,
      userFrames: new Map(),
      kernelFrames: new Map(),
    }));
  }

  /**
   * A pipeline sample: its merged stack, its stack as recorded, its columns. `chainId` numbers
   * the chain when it comes from the load worker (-1: not numbered).
   */
  addSample(
    s: SampleFacts,
    chain: U64Words | undefined,
    status: MergeStatus,
    chainId = -1,
    trace?: TraceFacts,
  ): void {
    const tb = this.threadBuilder(s.pid, s.tid);
    if (this.recordsOnly) {
      tb.seen++;
      return;
    }
    const thread = tb.thread;
    let stack: IndexIntoStackTable;
    let rawStack: IndexIntoStackTable;
    if (!chain) {
      const loc = this.machine.findMap(thread, s.misc & 7, s.ip);
      stack = this.stacks.intern(
        -1,
        this.frameFor({ index: 0, ip: s.ip, cpumode: s.misc & 7, loc }),
      );
      rawStack = stack;
    } else if (UserUnwinder.applies(s)) {
      // --call-graph dwarf: the recorded kernel part below the unwound user frames.
      let user = -1;
      const frames = this.unwinder.frames(thread, s, MAX_STACK);
      for (let i = frames.length - 1; i >= 0; i--)
        user = this.stacks.intern(user, this.frameFor(frames[i]!));
      stack = this.chainStack(thread, chain, wordsLength(chain), user);
      rawStack = stack;
    } else if (status === MergeStatus.CLASSIC) {
      stack = this.wholeChainStack(thread, chain, chainId);
      rawStack = stack;
    } else {
      // The recorded chain ends in [USER_DEFERRED, cookie]: the user part (the callers of the
      // kernel frames, so the root side of the stack) is a marker frame, then the kernel part.
      // (a merged chain continues with the user ips after the marker: the recorded part ends there)
      if (status === MergeStatus.MERGED) {
        stack = this.wholeChainStack(thread, chain, chainId);
        rawStack = this.rawView ? this.recordedStack(thread, chain, chainId) : stack;
      } else {
        const kernelWords = deferredMarkerIndex(chain);
        const recorded = this.rawView ? this.recordedStack(thread, chain) : undefined;
        const name =
          status === MergeStatus.UNMERGED_END_OF_SESSION
            ? SYNTHETIC.unmergedEnd
            : SYNTHETIC.unmergedMismatch;
        const missing = this.stacks.intern(-1, this.syntheticFrame(name, FuncKind.UNMERGED));
        stack = this.chainStack(thread, chain, kernelWords, missing);
        rawStack = recorded ?? stack;
      }
    }
    // The model always merges: a raw deferred sample (merging off) is stored as recorded.
    const stored = status === MergeStatus.DEFERRED_RAW ? MergeStatus.CLASSIC : status;
    const event = s.event.index;
    this.store(tb, s.time, stack, rawStack, s.cpu, s.period, event, stored);
    if (trace) this.timeline.tracepoint({ ...s, event }, stack, rawStack, trace);
  }

  /**
   * addSample() of batch item `i`, a classic or merged sample with chain `chainId` (no DWARF
   * registers, not a tracepoint): read from the batch's columns, without the facts object.
   */
  private addChainItem(
    b: SampleBatch,
    i: number,
    chainId: number,
    status: typeof MergeStatus.CLASSIC | typeof MergeStatus.MERGED,
  ): void {
    const tb = this.threadBuilder(b.pid[i]!, b.tid[i]!);
    if (this.recordsOnly) {
      tb.seen++;
      return;
    }
    const chain = this.batchChains.chains.get(chainId);
    const stack = this.wholeChainStack(tb.thread, chain, chainId);
    const rawStack =
      status === MergeStatus.MERGED && this.rawView
        ? this.recordedStack(tb.thread, chain, chainId)
        : stack;
    this.store(tb, b.time[i]!, stack, rawStack, b.cpu[i]!, b.period[i]!, b.event[i]!, status);
  }

  /** A sample's row in its thread's columns, and the load's running totals. */
  private store(
    tb: ThreadBuilder,
    time: number,
    stack: IndexIntoStackTable,
    rawStack: IndexIntoStackTable,
    cpu: number,
    period: number,
    event: number,
    status: MergeStatus,
  ): void {
    tb.samples.add(time, stack, rawStack, cpu, period, event, status);
    if (time < this.firstTime) this.firstTime = time;
    if (time > this.lastTime) this.lastTime = time;
    this.eventSamples[event] = (this.eventSamples[event] ?? 0) + 1;
    this.eventPeriods[event] = (this.eventPeriods[event] ?? 0) + period;
    if (stack >= 0) this.sums.add(event, stack, status, period);
  }

  /** A record besides samples (single-thread load): side-band and timeline records. */
  addRecord(r: KernelRecord): void {
    if (isSideBand(r)) this.timeline.sideBand(r);
    else if (isTimelineRecord(r.type)) this.timeline.record(timelineFacts(r));
  }

  /**
   * The builder of a thread; consecutive samples mostly come from the same thread, or from one
   * of two (two busy threads on two cores, a deferred sample and its record): the last two are
   * kept.
   */
  private threadBuilder(pid: number, tid: number): ThreadBuilder {
    const generation = this.machine.generation;
    const last = this.last;
    if (isFor(last, pid, tid, generation)) return last.tb;
    const before = this.beforeLast;
    if (isFor(before, pid, tid, generation)) {
      this.beforeLast = last;
      this.last = before;
      return before.tb;
    }
    const thread = this.machine.findnewThread(pid, tid);
    let tb = this.threads.get(thread);
    if (!tb) {
      tb = new ThreadBuilder(thread, this.read);
      this.threads.set(thread, tb);
    }
    this.beforeLast = last;
    this.last = { pid, tid, generation, tb };
    return tb;
  }

  /**
   * A CALLCHAIN_DEFERRED record the merge consumed (single-thread load): kept for the
   * merging-off view. A load worker's batches carry them as CONSUMED items (applyBatch). When it
   * merged into samples (numberChain), its ips end the chain of the first: that tail's stack is
   * found by number.
   */
  addDeferredRecord(
    r: {
      pid: number;
      tid: number;
      time: number;
      ips: U64Words;
      cookieLo: number;
      cookieHi: number;
    },
    mergedInto: number,
  ): void {
    const tb = this.threadBuilder(r.pid, r.tid);
    const id = this.batchChains.record(r.ips);
    let stack: IndexIntoStackTable | -1;
    if (id >= 0) stack = this.consumedStack(tb.thread, id, this.batchChains.headWords);
    else {
      const n = wordsLength(r.ips);
      stack = n > 0 ? this.chainStack(tb.thread, r.ips, n) : -1;
    }
    tb.deferred.add(r.time, stack, mergedInto, r.cookieLo, r.cookieHi);
  }

  /**
   * Whether a CALLCHAIN_DEFERRED record of (pid, tid) that merged into samples, just after the
   * last of them, is left for later (single-thread load, LoadOptions.recordsLater): when it is of
   * their thread (as BatchWriter leaves them out; its thread's lookup would repeat theirs).
   */
  skipsDeferredRecord(pid: number, tid: number): boolean {
    if (!isFor(this.last, pid, tid, this.machine.generation)) return false;
    this.batchChains.skipRecord();
    return true;
  }

  /**
   * The number of a sample's chain (single-thread load; `status` its merge status), in the
   * numbering the worker's batches use: its stack is then found by number (addSample's `chainId`).
   */
  numberChain(words: U64Words, status: MergeStatus): number {
    return this.batchChains.number(words, status);
  }

  /**
   * Everything a load-worker batch delivers, in its order. `endOfSession`: what the pipeline does
   * when the merge's end-of-session flush starts (Pipeline.endOfSession).
   */
  applyBatch(b: SampleBatch, events: readonly EventDesc[], endOfSession?: () => void): void {
    const chains = this.batchChains;
    chains.begin(b);
    // most batches have neither: a lookup per sample in an empty object is not free
    const dwarfs = hasAny(b.dwarf);
    const traces = hasAny(b.trace);
    const facts: SampleFacts = {
      pid: 0,
      tid: 0,
      misc: 0,
      ip: 0,
      time: 0,
      cpu: 0,
      period: 0,
      event: events[0]!,
      regsUser: undefined,
      stackUser: undefined,
    };
    for (let i = 0; i < b.length; i++) {
      switch (b.item[i]) {
        case ItemKind.SAMPLE: {
          const id = chains.sample(b, i);
          const status = b.status[i]! as MergeStatus;
          if (
            id >= 0 &&
            (status === MergeStatus.CLASSIC || status === MergeStatus.MERGED) &&
            !(dwarfs && b.dwarf[i]) &&
            !(traces && b.trace[i])
          ) {
            this.addChainItem(b, i, id, status);
            break;
          }
          sampleFacts(b, i, events, facts);
          const dwarf = b.dwarf[i];
          facts.regsUser = dwarf?.regs;
          facts.stackUser = dwarf ? { data: dwarf.stack, dynSize: dwarf.dynSize } : undefined;
          const chain = id < 0 ? undefined : chains.chains.get(id);
          this.addSample(facts, chain, status, id, b.trace[i]);
          break;
        }
        case ItemKind.SIDE_BAND: {
          const record = b.records[b.ref[i]!] as MmapRecord | CommRecord | TaskRecord;
          this.machine.process(record);
          this.timeline.sideBand(record);
          break;
        }
        case ItemKind.TIMELINE:
          this.timeline.record(timelineItem(b, i));
          break;
        case ItemKind.CONSUMED: {
          const tb = this.threadBuilder(b.pid[i]!, b.tid[i]!);
          const id = chains.consumed(b, i);
          const stack = this.consumedStack(tb.thread, id, chains.headWords);
          tb.deferred.add(b.time[i]!, stack, b.ref[i]!, b.ip[i]!, b.period[i]!);
          break;
        }
        case ItemKind.END_OF_SESSION:
          endOfSession?.();
          break;
      }
    }
  }

  /**
   * The stack of the first `n` callchain entries (below `base`, a stack of outer frames), through
   * a cache keyed by the exact words.
   */
  private chainStack(
    thread: Thread,
    chain: U64Words,
    n: number,
    base: IndexIntoStackTable | -1 = -1,
  ): IndexIntoStackTable {
    const byHash = this.chainCache.get(thread).byHash;
    // Hash the length and the low halves of the entries nearest the leaf and the root: stacks
    // differ there (the high halves are 0 or all ones for user and kernel addresses); and the
    // root's high half: an unmerged deferred chain ends in its cookie, whose low half is the CPU.
    let h = n * 31 + base;
    const words = 2 * n;
    const head = Math.min(words, 24);
    for (let i = 0; i < head; i += 2) h = (Math.imul(h, 31) + chain[i]!) | 0;
    for (let i = Math.max(head, words - 8); i < words; i += 2)
      h = (Math.imul(h, 31) + chain[i]!) | 0;
    if (words > 0) h = (Math.imul(h, 31) + chain[words - 1]!) | 0;
    const bucket = byHash.get(h);
    if (bucket) {
      for (const e of bucket) if (e.base === base && sameWords(e.words, chain, n)) return e.stack;
    }
    const stack = this.resolvedStack(thread, chain, n, base);
    const entry = { words: chain.slice(0, 2 * n), base, stack };
    // a file can make any number of chains share a hash (differing in words it leaves out): past
    // a few, the hash's chains are resolved each time rather than compared with every one kept
    if (!bucket) byHash.set(h, [entry]);
    else if (bucket.length < MAX_CHAINS_PER_HASH) bucket.push(entry);
    return stack;
  }

  /**
   * The stack of the first `n` callchain entries below `base`, resolved now: for chains whose
   * stack the caller keeps by chain number (a cache by words would copy them for nothing).
   */
  private resolvedStack(
    thread: Thread,
    chain: U64Words,
    n: number,
    base: IndexIntoStackTable | -1 = -1,
  ): IndexIntoStackTable {
    const { ips, modes, indexes } = this.chainEntries;
    let count = 0;
    const kept = walkCallchain(
      n === wordsLength(chain) ? chain : chain.subarray(0, 2 * n),
      MAX_STACK,
      (index, ip, cpumode) => {
        ips[count] = ip;
        modes[count] = cpumode;
        indexes[count++] = index;
      },
    );
    if (!kept) return base;
    const cache = this.chainCache.get(thread);
    let stack = base;
    for (let i = count - 1; i >= 0; i--) {
      const ip = ips[i]!;
      const cpumode = modes[i]!;
      const known =
        cpumode === CpuMode.USER
          ? cache.userFrames
          : cpumode === CpuMode.KERNEL
            ? cache.kernelFrames
            : undefined;
      let frame = known?.get(ip);
      if (frame === undefined) {
        const loc = this.machine.findMap(thread, cpumode, ip);
        frame = this.frameFor({ index: indexes[i]!, ip, cpumode, loc });
        known?.set(ip, frame);
      }
      stack = this.stacks.intern(stack, frame);
    }
    return stack;
  }

  /**
   * A deferred sample's stack as recorded: its chain's kernel part (up to the USER_DEFERRED
   * marker) on the cookie frame; looked up by chain number when it has one (every
   * sample merged with the same user stack shares it).
   */
  private recordedStack(thread: Thread, chain: U64Words, chainId = -1): IndexIntoStackTable {
    const space = chainId < 0 ? 0 : this.chainCache.get(thread).space;
    let stack = space ? this.recordedById.get(chainId, space) : undefined;
    if (stack === undefined) {
      const cookie = this.syntheticFrame(SYNTHETIC.deferredCookie, FuncKind.DEFERRED_COOKIE);
      const base = this.stacks.intern(-1, cookie);
      const n = deferredMarkerIndex(chain);
      // kept by number when it has one, else by its words
      stack = space
        ? this.resolvedStack(thread, chain, n, base)
        : this.chainStack(thread, chain, n, base);
      if (space) this.recordedById.set(chainId, space, stack);
    }
    return stack;
  }

  /**
   * A consumed record's stack from a batch: its ips are chain `id` past its first `headWords`
   * words (the chain of a sample it merged into), or all of it when `headWords` is 0.
   */
  private consumedStack(thread: Thread, id: number, headWords: number): IndexIntoStackTable | -1 {
    const chains = this.batchChains.chains;
    const length = chains.length(id);
    if (headWords === 0) return length > 0 ? this.wholeChainStack(thread, chains.get(id), id) : -1;
    if (length === headWords) return -1;
    const space = this.chainCache.get(thread).space;
    let stack = this.tailById.get(id, space);
    if (stack === undefined) {
      const ips = chains.get(id).subarray(headWords);
      stack = this.resolvedStack(thread, ips, wordsLength(ips));
      this.tailById.set(id, space, stack);
    }
    return stack;
  }

  /** chainStack() of a whole chain, looked up by chain number when it has one. */
  private wholeChainStack(thread: Thread, chain: U64Words, chainId: number): IndexIntoStackTable {
    if (chainId < 0) return this.chainStack(thread, chain, wordsLength(chain));
    const space = this.chainCache.get(thread).space;
    let stack = this.stackById.get(chainId, space);
    if (stack === undefined) {
      stack = this.resolvedStack(thread, chain, wordsLength(chain));
      this.stackById.set(chainId, space, stack);
    }
    return stack;
  }

  private frameFor(f: ChainFrame): IndexIntoFrameTable {
    const loc = f.loc;
    if (f.inlineName !== undefined && loc) return this.inlineFrame(f.inlineName, loc);
    const space = loc ? loc.map.dso.id : -1 - f.cpumode;
    const addr = loc ? loc.addr : f.ip;
    const known = this.frames.find(space, addr);
    if (known >= 0) return known;
    let func: IndexIntoFuncTable;
    let offset = -1;
    if (!loc) {
      const kind = f.cpumode === CpuMode.KERNEL ? FuncKind.KERNEL : FuncKind.USER;
      func = this.funcs.intern('[unknown]', -1, kind, true);
    } else {
      const lib = this.lib(loc.map.dso);
      this.libFrames.set(lib, (this.libFrames.get(lib) ?? 0) + 1);
      const kind = loc.map.dso.isKernel ? FuncKind.KERNEL : FuncKind.USER;
      const hit = this.symbols.lookup(loc);
      if (hit) {
        func = this.funcs.intern(hit.name, lib, kind, false);
        offset = hit.offset;
      } else {
        func = this.funcs.intern('[unknown]', lib, kind, true);
      }
    }
    return this.frames.intern(space, addr, func, offset);
  }

  /** A function inlined at an address: its own frame, offset as its outer function's. */
  private inlineFrame(name: string, loc: NonNullable<ChainFrame['loc']>): IndexIntoFrameTable {
    const key = `${loc.map.dso.id}\u0000${loc.addr}\u0000${name}`;
    const known = this.frames.findKeyed(key);
    if (known >= 0) return known;
    const func = this.funcs.intern(name, this.lib(loc.map.dso), FuncKind.USER, false);
    return this.frames.internKeyed(key, func, loc.addr, this.symbols.lookup(loc)?.offset ?? -1);
  }

  /** The workstation's frames (no address): "[user stack unavailable: …]", the cookie. */
  private syntheticFrame(name: string, kind: FuncKind): IndexIntoFrameTable {
    // Keyed by the name itself (called for every deferred sample: no key is built): it starts
    // with `[`, never like an inline frame's key, which starts with a DSO id.
    const known = this.frames.findKeyed(name);
    if (known >= 0) return known;
    const lib = this.libs.intern(
      SYNTHETIC_LIB_KEY,
      '[perf workstation]',
      '',
      undefined,
      LibKind.SYNTHETIC,
    );
    this.libDso[lib] = undefined;
    return this.frames.internKeyed(name, this.funcs.intern(name, lib, kind, false), NaN, -1);
  }

  private lib(dso: Dso): IndexIntoLibTable {
    const known = this.libs.find(dso.id);
    if (known >= 0) return known;
    const base = dso.name.startsWith('[')
      ? dso.name
      : dso.name.slice(dso.name.lastIndexOf('/') + 1);
    const lib = this.libs.intern(dso.id, base, dso.name, dso.buildId, LIB_KIND[dso.kind]);
    this.libDso[lib] = dso;
    return lib;
  }

  /**
   * After finish(): the profile's thread of each thread the load met, in the order it met them,
   * and the profile's time 0 (what readLaterRecords needs to place the records it reads).
   */
  threadIndexes = new Int32Array(0);
  start = 0;
  /** LoadOptions.recordsLater: the records that merged into samples were not delivered. */
  recordsLater = false;
  /**
   * Keep the consumed CALLCHAIN_DEFERRED records only (a second load's, later-records.ts): each
   * sample still looks its thread up (which can change the threads), and is counted.
   */
  recordsOnly = false;

  /**
   * In the order the load met the threads, each thread's CALLCHAIN_DEFERRED records (times
   * relative to `start`): a second load's (later-records.ts).
   */
  deferredRecordsByThread(
    start: number,
  ): { pid: number; tid: number; samples: number; records: DeferredRecordTable }[] {
    return [...this.threads.values()].map((tb) => ({
      pid: tb.thread.pid,
      tid: tb.thread.tid,
      samples: this.recordsOnly ? tb.seen : tb.samples.length,
      records: tb.deferred.finish(start),
    }));
  }

  /** Freezes everything into the profile. */
  finish(
    reader: PerfDataReader,
    result: { truncatedAt?: number; error?: { message: string } },
    merge: Profile['meta']['merge'],
  ): Profile {
    const threads: ThreadInfo[] = [];
    let start = this.firstTime;
    let end = this.lastTime;
    if (start === Infinity) start = end = 0;
    const eventStats = reader.events.events.map((_, i) => ({
      samples: this.eventSamples[i] ?? 0,
      period: this.eventPeriods[i] ?? 0,
    }));
    let total = 0;
    for (const tb of this.threads.values()) {
      const samples = tb.samples.finish(start);
      total += samples.length;
      const th = tb.thread;
      const leader = this.machine.findThread(th.pid);
      threads.push({
        tid: th.tid,
        pid: th.pid,
        comms: commHistory(th, start, samples.length ? samples.time[0] : undefined),
        name: th.comm,
        processName: leader?.comm ?? th.comm,
        samples,
        deferredRecords: tb.deferred.finish(start),
      });
    }
    const made = threads.slice();
    threads.sort((a, b) => a.pid - b.pid || a.tid - b.tid);
    const index = new Map(threads.map((t, i) => [t, i]));
    this.threadIndexes = Int32Array.from(made, (t) => index.get(t)!);
    this.start = start;
    const timeline = this.timeline.finish(start, end, threads);
    const unresolvedLibs: UnresolvedLib[] = [];
    for (const [l, frames] of this.libFrames) {
      const dso = this.libDso[l];
      if (dso && !this.symbols.resolved(dso)) {
        unresolvedLibs.push({ path: dso.name, buildId: dso.buildId, frames });
      }
    }
    unresolvedLibs.sort((a, b) => b.frames - a.frames);
    this.libDso.forEach((dso, lib) => {
      if (dso && !this.symbols.resolved(dso)) this.libs.markUnresolved(lib);
    });
    const info = reader.info;
    const profile: Profile = {
      meta: {
        path: reader.path,
        fileSize: reader.fileSize,
        pipe: reader.header.pipe,
        hostname: info.hostname,
        osRelease: info.osRelease,
        perfVersion: info.version,
        arch: info.arch,
        nrCpus: info.nrCpusOnline,
        cpuDesc: info.cpuDesc,
        cmdline: info.cmdline?.join(' '),
        startTime: reader.times.absolute(start).toString(),
        duration: end - start,
        samples: total,
        lostEvents: reader.stats.lostEvents,
        lostSamples: reader.stats.lostSamples,
        merge,
        unresolvedLibs,
        warnings: reader.warnings,
        truncatedAt: result.truncatedAt,
        error: result.error?.message,
        switchSource: timeline.switchSource,
        markersNotKept: timeline.notKept || undefined,
        rawView: this.rawView ? undefined : false,
        deferredRecordsLater:
          this.recordsLater && merge.deferredRecords > merge.recordsMatchingNothing
            ? true
            : undefined,
      },
      strings: this.strings.strings,
      libs: this.libs.finish(),
      funcs: this.funcs.finish(),
      frames: this.frames.finish(),
      stacks: this.stacks.finish(),
      threads,
      events: reader.events.events.map((e, i) => eventInfo(e, eventStats[i]!)),
      markers: timeline.markers,
    };
    this.sums.finish(profile, profile.stacks.length);
    return profile;
  }
}

/** A timeline record's facts (SWITCH, SWITCH_CPU_WIDE, LOST, LOST_SAMPLES). */
function timelineFacts(r: KernelRecord): TimelineRecordFacts {
  const count = 'lost' in r ? r.lost : 0;
  const { pid, tid, time, cpu } = r.sid;
  return { type: r.type, misc: r.misc, pid, tid, time, cpu, count };
}

/** The same facts from a load-worker batch row (see BatchWriter.timeline). */
function timelineItem(b: SampleBatch, i: number): TimelineRecordFacts {
  return {
    type: b.ref[i]!,
    misc: b.misc[i]!,
    pid: b.pid[i]!,
    tid: b.tid[i]!,
    time: b.time[i]!,
    cpu: b.cpu[i]!,
    count: b.period[i]!,
  };
}

/** Index of the PERF_CONTEXT_USER_DEFERRED marker: the recorded chain's kernel part ends there. */
function deferredMarkerIndex(chain: U64Words): number {
  const lo = ContextNum.USER_DEFERRED >>> 0;
  for (let i = 0; i < chain.length; i += 2) {
    if (chain[i] === lo && chain[i + 1] === 0xffffffff) return i >>> 1;
  }
  return wordsLength(chain);
}

function sameWords(a: U64Words, b: U64Words, n: number): boolean {
  if (a.length !== 2 * n) return false;
  for (let i = 0; i < 2 * n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function eventInfo(e: EventDesc, stats: { samples: number; period: number }): EventInfo {
  const periodIsTime =
    e.attr.type === AttrType.SOFTWARE && (e.attr.config === 0n || e.attr.config === 1n);
  return {
    name: e.name,
    type: e.attr.type,
    config: `0x${e.attr.config.toString(16)}`,
    samples: stats.samples,
    totalPeriod: stats.period,
    periodIsTime,
  };
}

/**
 * A thread's comms over time, oldest first, relative to `start`. A thread that had samples
 * before its first comm (its FORK was lost) was ":tid" until then, as perf script prints it.
 */
function commHistory(
  th: Thread,
  start: number,
  firstSample: number | undefined,
): { time: number; name: string }[] {
  const comms = [...th.comms]
    .reverse()
    .map((c) => ({ time: c.time - start, name: c.comm }))
    .sort((a, b) => a.time - b.time);
  if (th.unnamedUntil !== undefined && firstSample !== undefined) {
    if (firstSample < th.unnamedUntil - start)
      comms.unshift({ time: firstSample, name: `:${th.tid}` });
  }
  return comms;
}

/**
 * Below this much data a load worker costs more than it saves: it starts (a thread, its modules)
 * in about 0.1 s, and recordings of up to about 11 MB open faster on one thread (measured on two
 * cores; 44 MB ones open faster with the worker).
 */
export const WORKER_MIN_DATA = 16 << 20;

/**
 * Whether loadProfile reads in a worker: never a pipe (the worker opens the file itself), else as
 * `singleThread` says, by default for WORKER_MIN_DATA bytes of data or more, or compressed data.
 */
export function readsInWorker(reader: PerfDataReader, options: LoadOptions = {}): boolean {
  if (reader.header.pipe || reader.path === '-') return false;
  if (options.singleThread !== undefined) return !options.singleThread;
  return reader.header.data.size >= WORKER_MIN_DATA || reader.info.present.has(Feature.COMPRESSED);
}

/** Reads a recording into the columnar profile. */
export async function loadProfile(
  reader: PerfDataReader,
  options: LoadOptions = {},
): Promise<Profile> {
  const file = readsAgain(reader, options) ? fileIdentity(reader.path) : undefined;
  const { builder, result } = await buildModel(reader, options);
  options.onBuilding?.();
  const profile = builder.finish(reader, result, result.merge);
  if (profile.meta.deferredRecordsLater && file) {
    const { tables, threadIndexes, start } = builder;
    keptForLater.set(profile, { tables, threadIndexes, start, file });
  }
  return profile;
}

/** What says a file is still the one that was read: its size, modification time, inode. */
export function fileIdentity(path: string): string {
  const st = fs.statSync(path);
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** What a profile loaded with LoadOptions.recordsLater keeps to read them later. */
export interface KeptForLater {
  tables: ModelTables;
  /** ModelBuilder.threadIndexes and .start of its load. */
  threadIndexes: Int32Array;
  start: number;
  /** fileIdentity() when the load began. */
  file: string;
}

/** By profile (later-records.ts reads and forgets it). */
export const keptForLater = new WeakMap<Profile, KeptForLater>();

/** A model's builder after the whole recording went through it, and how the read ended. */
interface BuiltModel {
  builder: ModelBuilder;
  result: {
    truncatedAt?: number;
    error?: { message: string };
    merge: Profile['meta']['merge'];
  };
}

/** Whether LoadOptions.recordsLater holds: a recording read from stdin is read once. */
function readsAgain(reader: PerfDataReader, options: LoadOptions): boolean {
  return options.rawView !== false && options.recordsLater === true && reader.path !== '-';
}

/**
 * Sends the whole recording through a model builder. `recordsInto`: a second load's
 * (later-records.ts), keeping the consumed CALLCHAIN_DEFERRED records only, interning into these
 * tables.
 */
export async function buildModel(
  reader: PerfDataReader,
  options: LoadOptions,
  recordsInto?: ModelTables,
): Promise<BuiltModel> {
  const rawView = options.rawView ?? true;
  const later = readsAgain(reader, options);
  if (readsInWorker(reader, options)) {
    const built = await buildInWorker(reader, options, rawView, later, recordsInto);
    if (built) return built;
  }
  // the builder copies what it keeps (chains, names, facts): the read buffers are reused
  const pipeline = new Pipeline(reader, { ...options, merge: true, recycleBuffers: true });
  const builder = builderOf(pipeline, rawView, later, recordsInto);
  const trace = new TraceFactsReader(reader);
  // Chains are numbered as the worker numbers them, so a sample's stack is found by its chain's
  // number (addSample's caches by number) instead of by hashing and comparing it again.
  const result = await pipeline.run({
    sample: (r, chain, status) => {
      const numbered = status === MergeStatus.CLASSIC || status === MergeStatus.MERGED;
      const id = chain && numbered ? builder.numberChain(chain, status) : -1;
      builder.addSample(r.sample, chain, status, id, trace.of(r.sample.event, r.sample.raw));
    },
    other: (r) => builder.addRecord(r),
    consumed: rawView
      ? (r, n) => {
          const { pid, tid, time } = r.sid;
          if (n > 0 && later && builder.skipsDeferredRecord(pid, tid)) return;
          const { ips, cookieLo, cookieHi } = r;
          builder.addDeferredRecord({ pid, tid, time, ips, cookieLo, cookieHi }, n);
        }
      : undefined,
  });
  return { builder, result };
}

/** A model builder over `pipeline`'s machine, symbols and unwinder. */
function builderOf(
  pipeline: Pipeline,
  rawView: boolean,
  recordsLater: boolean,
  recordsInto: ModelTables | undefined,
): ModelBuilder {
  const builder = new ModelBuilder(
    pipeline.machine,
    pipeline.symbols,
    pipeline.unwinder,
    rawView,
    recordsInto,
  );
  builder.recordsLater = recordsLater;
  builder.recordsOnly = recordsInto !== undefined;
  return builder;
}

/**
 * Two threads: a worker reads, parses, orders and merges (load-worker.ts) while this thread
 * builds the model from its batches. Undefined when no worker can be started (the caller then
 * reads on this thread).
 */
async function buildInWorker(
  reader: PerfDataReader,
  options: LoadOptions,
  rawView: boolean,
  recordsLater: boolean,
  recordsInto: ModelTables | undefined,
): Promise<BuiltModel | undefined> {
  const worker = startLoadWorker({ path: reader.path, rawView, recordsLater });
  if (!worker) return undefined;
  // stopped whatever fails, here too: a started worker keeps the process alive
  try {
    const pipeline = new Pipeline(reader, options);
    // while the worker starts and reads its first batch, this thread would wait: the kernel's
    // symbols, which the first batch needs, are read now instead (the batches wait in the port)
    pipeline.prepareKernelSymbols();
    const builder = builderOf(pipeline, rawView, recordsLater, recordsInto);
    const events = reader.events.events;
    const done = await runHeard(worker, {
      batch: (b) => builder.applyBatch(b, events, () => pipeline.endOfSession()),
      progress: (d, t) => {
        if (t) builder.read.fraction = d / t;
        options.onProgress?.(d, t);
      },
      signal: options.signal,
    });
    // a worker that never got going (no loader, no thread): read on this thread instead
    if (!done) return undefined;
    reader.adoptRead(done);
    return {
      builder,
      result: { truncatedAt: done.truncatedAt, error: done.error, merge: done.merge },
    };
  } finally {
    await worker.stop();
  }
}
