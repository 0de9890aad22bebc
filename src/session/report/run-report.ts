import { Pipeline, type PipelineResult } from '../pipeline';
import { AttrType, SampleType } from '../perf-data/constants';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import { TraceFormatter } from '../script/trace';
import type { SymbolOptions } from '../symbols';
import { CallchainBuilder } from './callchain-tree';
import { HistCollector } from './collector';
import { DsoOrder } from './dso-order';
import { eventGroups, linkGroupMember } from './event-group';
import { Hists, type HistsConfig } from './hists';
import { printEventTable } from './event-print';
import { resolveReportConfig, type ReportArgs } from './report-config';
import { SampleResolver } from './sample-resolver';
import { pipelineWorkerReads, runPipelineInWorker } from '../pipeline-worker';

export interface ReportOptions extends ReportArgs {
  /** -q: no header comments, no tip. */
  quiet?: boolean;
  /** Merge deferred callchains (perf 6.19's default); false = `--no-merge-callchains`. */
  merge?: boolean;
  /** Where symbols come from (perf's --symfs, --kallsyms, --buildid-dir, --no-demangle). */
  symbols?: SymbolOptions;
  /** Receives the output, in pieces. */
  write: (text: string) => void;
  /** As LoadOptions.singleThread: by default a load worker reads large recordings. */
  singleThread?: boolean;
}

export interface ReportResult extends PipelineResult {
  /** The recording has no samples: perf prints "The ... data has no samples!" and stops. */
  noSamples: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * `perf report --stdio`: histograms of the samples by the sort keys, one table per event, with
 * perf 6.1's header comments, widths and order, and its call graphs. perf's random "Tip" at the
 * end is left out.
 */
export async function runReport(
  reader: PerfDataReader,
  options: ReportOptions,
): Promise<ReportResult> {
  const config = resolveReportConfig(reader, options);
  const out = options.write;
  // perf report keeps exited threads (symbol_conf.keep_exited_threads), unlike perf script
  const pipeline = new Pipeline(reader, {
    merge: options.merge,
    symbols: options.symbols,
    keepExitedThreads: true,
  });
  const trace = new TraceFormatter(reader);
  if (!reader.header.pipe) trace.nameEvents();

  if (!options.quiet) {
    out('# To display the perf.data header info, please use --header/--header-only options.\n#\n');
  }
  // perf says which column a filter pins to one value (sort__setup_elide).
  for (const line of config.elideHeaders) out(`${line}\n`);

  const histsConfig: HistsConfig = {
    keys: config.keys,
    elided: config.elided,
    cumulate: config.cumulate,
    callchains: config.callchains,
    callerOrder: config.callerOrder,
  };
  const resolver = SampleResolver.forPipeline(pipeline, config);
  const dsoOrder = new DsoOrder(reader.header.pipe ? [] : reader.info.buildIds);
  const chains = new CallchainBuilder(dsoOrder.rank);
  // DWARF user stacks unwind to a cursor per sample: nothing to group (HistCollector)
  const dwarf = reader.events.events.some((e) => e.attr.sampleType & SampleType.STACK_USER);
  const collector = new HistCollector(histsConfig, resolver, chains, !dwarf);
  const wantsTrace = config.keys.some((k) => k.name === 'trace');
  const hists = new Map<EventDesc, Hists>();
  /** The event's histogram (perf's evsel__hists), made when first needed. */
  const histsOf = (e: EventDesc): Hists => {
    let h = hists.get(e);
    if (!h) {
      h = new Hists(e, histsConfig, e.attr.type === AttrType.TRACEPOINT, chains);
      hists.set(e, h);
    }
    return h;
  };

  // Two cores when a load worker can deliver everything a sample's line needs (not a
  // tracepoint's raw data for the trace column)
  const tracepoints = reader.events.events.some((e) => e.attr.type === AttrType.TRACEPOINT);
  const twoCores = !(wantsTrace && tracepoints) && pipelineWorkerReads(reader, options);
  const inWorker = twoCores
    ? await runPipelineInWorker(pipeline, (s, callchain, chain) =>
        collector.add(histsOf(s.event), s, callchain, undefined, chain),
      )
    : undefined;
  const result =
    inWorker ??
    (await pipeline.run({
      sample(record, callchain) {
        const s = record.sample;
        const h = histsOf(s.event);
        const text =
          wantsTrace && h.ctx.tracepoint
            ? (trace.format(s.event, s.raw ?? EMPTY) ?? '')
            : undefined;
        collector.add(h, s, callchain, text);
      },
    }));
  collector.flush();
  if (reader.header.pipe) trace.nameEvents();

  let entries = 0;
  for (const h of hists.values()) entries += h.size;
  if (entries === 0) return { ...result, noSamples: true };

  if (!options.quiet) out(`#\n# Total Lost Samples: ${reader.stats.lostSamples}\n#\n`);
  // perf shows event groups in its group view unless told --no-group: each leader's table with
  // one overhead column per member, the members not on their own.
  const groups = eventGroups(reader);
  const groupView = options.group ?? groups.size > 0;
  const members = new Set<EventDesc>();
  if (groupView) {
    for (const group of groups.values()) {
      const leader = histsOf(group.events[0]!);
      leader.groupSize = group.events.length;
      group.events.forEach((e, i) => {
        if (i === 0) return;
        members.add(e);
        linkGroupMember(leader, histsOf(e), i);
      });
    }
  }
  for (const event of reader.events.events) {
    const h = hists.get(event);
    // perf skips events without samples (report.skip-empty defaults to true).
    if (!h || h.nrSamples === 0 || members.has(event)) continue;
    const group = groups.get(event);
    const view = group && groupView ? group.events.map(histsOf) : undefined;
    out(printEventTable(h, config, options.quiet ?? false, group, view));
    out('\n\n');
  }
  return { ...result, noSamples: false };
}
