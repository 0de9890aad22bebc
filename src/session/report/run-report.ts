import { Pipeline, type PipelineResult } from '../pipeline';
import { AttrType } from '../perf-data/constants';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import { TraceFormatter } from '../script/trace';
import type { SymbolOptions } from '../symbols';
import { CallchainBuilder } from './callchain-tree';
import { HistCollector } from './collector';
import { DsoOrder } from './dso-order';
import { Hists, type HistsConfig } from './hists';
import { printEventTable } from './event-print';
import { resolveReportConfig, type ReportArgs } from './report-config';
import { SampleResolver } from './sample-resolver';
import { SymbolRefs } from './symbol-refs';

export interface ReportOptions extends ReportArgs {
  /** -q: no header comments, no tip. */
  quiet?: boolean;
  /** Merge deferred callchains (perf 6.19's default); false = `--no-merge-callchains`. */
  merge?: boolean;
  /** Where symbols come from (perf's --symfs, --kallsyms, --buildid-dir, --no-demangle). */
  symbols?: SymbolOptions;
  /** Receives the output, in pieces. */
  write: (text: string) => void;
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
  const symbolKey = config.keys.some((k) => k.name === 'symbol');
  if (symbolKey && config.symbolFilter?.length === 1) out(`# symbol: ${config.symbolFilter[0]}\n`);

  const histsConfig: HistsConfig = {
    keys: config.keys,
    elided: config.elided,
    cumulate: config.cumulate,
    callchains: config.callchains,
    callerOrder: config.callerOrder,
  };
  const filter = config.symbolFilter && new Set(config.symbolFilter);
  const resolver = new SampleResolver(
    pipeline.machine,
    new SymbolRefs(pipeline.symbols),
    filter,
    pipeline.unwinder,
  );
  const dsoOrder = new DsoOrder(reader.header.pipe ? [] : reader.info.buildIds);
  const collector = new HistCollector(histsConfig, resolver, new CallchainBuilder(dsoOrder.rank));
  const wantsTrace = config.keys.some((k) => k.name === 'trace');
  const hists = new Map<EventDesc, Hists>();

  const result = await pipeline.run({
    sample(record, callchain) {
      const s = record.sample;
      let h = hists.get(s.event);
      if (!h) {
        h = new Hists(s.event, histsConfig, s.event.attr.type === AttrType.TRACEPOINT);
        hists.set(s.event, h);
      }
      const text =
        wantsTrace && h.ctx.tracepoint ? (trace.format(s.event, s.raw ?? EMPTY) ?? '') : undefined;
      collector.add(h, s, callchain, text);
    },
  });
  if (reader.header.pipe) trace.nameEvents();

  let entries = 0;
  for (const h of hists.values()) entries += h.size;
  if (entries === 0) return { ...result, noSamples: true };

  if (!options.quiet) out(`#\n# Total Lost Samples: ${reader.stats.lostSamples}\n#\n`);
  for (const event of reader.events.events) {
    const h = hists.get(event);
    // perf skips events without samples (report.skip-empty defaults to true).
    if (!h || h.nrSamples === 0) continue;
    out(printEventTable(h, config, options.quiet ?? false));
    out('\n\n');
  }
  return { ...result, noSamples: false };
}
