import { Feature } from './perf-data/constants';
import type { PerfDataReader, ReadOptions, ReadResult } from './perf-data/reader';
import type { CallchainDeferredRecord, KernelRecord, SampleRecord } from './perf-data/records';
import type { U64Words } from './perf-data/u64';
import { SampleReadDelivery } from './perf-data/sample-read';
import { SymbolResolver, type KallsymsFiles, type SymbolOptions } from './symbols';
import { DeferredMerger, type MergeStats, type MergeStatus } from './merge/deferred-merge';
import { isSideBand, KERNEL_DSO_NAME, Machine } from './machine/machine';
import { hasFlag } from './perf-data/attr';
import { MachineSymbolizer } from './machine/symbolize';
import { UserUnwinder } from './machine/user-unwind';

export interface PipelineOptions extends ReadOptions {
  /** Merge deferred callchains (perf 6.19's default). */
  merge?: boolean;
  /** Where symbols come from (perf's --symfs, --kallsyms, --buildid-dir, --no-demangle). */
  symbols?: SymbolOptions;
  /**
   * Threads outlive their EXIT record, as in `perf report` (symbol_conf.keep_exited_threads);
   * default: they end there, as in `perf script` since perf 6.8 (see Pipeline.endOfSession).
   */
  keepExitedThreads?: boolean;
  /** Kallsyms files already read by another pipeline of the same command (perf diff's). */
  kallsymsFiles?: KallsymsFiles;
}

export interface PipelineSink {
  /** Every sample once, in perf 6.19's delivery order, with the callchain to use. */
  sample(record: SampleRecord, callchain: U64Words | undefined, status: MergeStatus): void;
  /** CALLCHAIN_DEFERRED records, delivered only when merging is off. */
  deferred?(record: CallchainDeferredRecord): void;
  /** CALLCHAIN_DEFERRED records consumed by the merge, with the samples they merged into. */
  consumed?(record: CallchainDeferredRecord, mergedInto: number): void;
  /** Every other record (side-band ones after the process model saw them), in order. */
  other?(record: KernelRecord): void;
}

export interface PipelineResult extends ReadResult {
  merge: MergeStats;
  /** Libraries whose symbols could not be found (path and build-id), for the user. */
  symbolWarnings: string[];
}

/**
 * What every consumer of a recording shares: the reader delivering records in perf's order, the
 * deferred merge, the process model fed with the side-band records, and symbols for its maps.
 * `perfws script`, `perfws report` and the session model are sinks of this pipeline.
 */
export class Pipeline {
  readonly machine: Machine;
  readonly symbols: MachineSymbolizer;
  readonly resolver: SymbolResolver;
  /** DWARF unwinding of `--call-graph dwarf` samples' user stacks. */
  readonly unwinder: UserUnwinder;

  constructor(
    readonly reader: PerfDataReader,
    private readonly options: PipelineOptions = {},
  ) {
    const buildIds = new Map(reader.info.buildIds.map((b) => [b.filename, b.buildId]));
    this.machine = new Machine(reader.info.arch, buildIds);
    this.resolver = new SymbolResolver(options.symbols ?? {}, options.kallsymsFiles);
    this.symbols = new MachineSymbolizer(this.resolver, this.machine);
    this.unwinder = new UserUnwinder(this.machine, this.symbols, options.symbols, reader.info.arch);
  }

  /**
   * Reads and sorts the kernel's symbols now (SymbolResolver.prepareKernel) when an event samples
   * the kernel: for a caller with time to spare before the first sample arrives.
   */
  prepareKernelSymbols(): void {
    if (this.reader.events.events.every((e) => hasFlag(e.attr, 'exclude_kernel'))) return;
    const kernel = this.reader.info.buildIds.find((b) => b.filename === KERNEL_DSO_NAME);
    this.resolver.prepareKernel(kernel?.buildId);
  }

  async run(sink: PipelineSink): Promise<PipelineResult> {
    const machine = this.machine;
    // samples with group reads become one sample per member, as perf delivers them
    const reads = new SampleReadDelivery(this.reader.events);
    const merger = new DeferredMerger(
      this.options.merge ?? true,
      {
        sample: (r, chain, status) => reads.deliver(r, (m) => sink.sample(m, chain, status)),
        deferred: (r) => sink.deferred?.(r),
        consumed: (r, n) => sink.consumed?.(r, n),
        other: (r) => {
          if (isSideBand(r)) machine.process(r);
          sink.other?.(r);
        },
        endOfSession: () => this.endOfSession(),
      },
      // a sink that lets the reader reuse its buffers keeps nothing: merged chains can be reused
      // too; waiting samples keep their read buffer instead of being copied out of it
      { transient: this.options.recycleBuffers, retain: () => this.reader.retainDelivered() },
    );
    const result = await this.reader.read((r) => merger.accept(r), this.options);
    merger.finish();
    return { ...result, merge: merger.stats, symbolWarnings: this.resolver.warnings() };
  }

  /**
   * The thread lifetime the end-of-session flush sees, by perf 6.19's rules. Since perf 6.8,
   * `perf script` removes a thread at its EXIT record; only `perf report`, `perf trace` and
   * recordings with AUX area data (HEADER_AUXTRACE, checked when the file is opened, so never in
   * pipe mode) keep exited threads. The samples still queued at the end are flushed after their
   * thread's EXIT, so perf 6.19 finds no thread and prints them under a new one, `:TID`. Before
   * the flush everything follows perf 6.1 (the oracles' version), which kept exited threads.
   */
  endOfSession(): void {
    if (this.options.keepExitedThreads) return;
    if (!this.reader.header.pipe && this.reader.info.present.has(Feature.AUXTRACE)) return;
    this.machine.removeExitedThreads();
  }
}
