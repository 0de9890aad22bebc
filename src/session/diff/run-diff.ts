import { Pipeline, type PipelineResult } from '../pipeline';
import { AttrType } from '../perf-data/constants';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import { linkGroupMember } from '../report/event-group';
import type { HistEntry } from '../report/hist-entry';
import { Hists, type HistsConfig } from '../report/hists';
import { SampleResolver } from '../report/sample-resolver';
import { columnWidths, formatHeader, formatKeyColumns } from '../report/table-print';
import { TraceFormatter } from '../script/trace';
import type { KallsymsFiles, SymbolOptions } from '../symbols';
import { diffCell, diffColumns } from './diff-columns';
import { diffSort, hasPairs, precompute, type SampleTotals } from './diff-compute';
import { resolveDiffConfig, type DiffArgs, type DiffConfig } from './diff-config';

export interface DiffOptions extends DiffArgs {
  /** -q: no header comments. */
  quiet?: boolean;
  /** Merge deferred callchains first (perf 6.19's default); false = `--no-merge-callchains`. */
  merge?: boolean;
  /** Where symbols come from (perf's --symfs, --kallsyms, --buildid-dir, --no-demangle). */
  symbols?: SymbolOptions;
  /** Receives the output, in pieces. */
  write: (text: string) => void;
}

/** A recording to compare: its reader and its path as given (printed with three or more). */
export interface DiffInput {
  readonly reader: PerfDataReader;
  readonly path: string;
}

/** One recording read into perf diff's histograms: one per event, and their totals as read. */
interface DiffFile {
  readonly input: DiffInput;
  readonly hists: Map<EventDesc, Hists>;
  readonly totals: Map<Hists, SampleTotals>;
  readonly config: HistsConfig;
}

/**
 * `perf diff`: the recordings' histograms by the sort keys (dso,sym by default), each newer
 * recording's entries paired with the baseline's (the first), and per event one table of the
 * baseline's share and each newer recording's delta, ratio or weighted difference, sorted and
 * printed as perf 6.1 does. Returns each recording's read result, in order.
 */
export async function runDiff(
  inputs: readonly DiffInput[],
  options: DiffOptions,
): Promise<PipelineResult[]> {
  const config = resolveDiffConfig(options, inputs.length);
  const files: DiffFile[] = [];
  const results: PipelineResult[] = [];
  // one kallsyms read for all of them (recordings of one machine mostly use the same file)
  const kallsymsFiles: KallsymsFiles = new Map();
  // perf reads every recording before it compares (__cmd_diff)
  for (const input of inputs) {
    const { file, result } = await readRecording(input, config, options, kallsymsFiles);
    files.push(file);
    results.push(result);
    if (result.error) return results;
  }
  const out = options.write;
  const base = files[0]!;
  let first = true;
  for (const event of base.input.reader.events.events) {
    const hists = histsOf(base, event);
    for (let i = 1; i < files.length; i++) {
      const match = matchingEvent(files[i]!, event);
      if (match) linkGroupMember(hists, histsOf(files[i]!, match), i, !config.baselineOnly);
    }
    if (!options.quiet) {
      out(`${first ? '' : '\n'}# Event '${event.name}'\n#\n`);
      if (files.length > 2) out(dataFiles(inputs));
    }
    first = false;
    out(printTable(files, event, config, options.quiet ?? false));
  }
  return results;
}

/** Reads one recording the way perf diff's sample tool does (diff__process_sample_event). */
async function readRecording(
  input: DiffInput,
  config: DiffConfig,
  options: DiffOptions,
  kallsymsFiles: KallsymsFiles,
): Promise<{ file: DiffFile; result: PipelineResult }> {
  const reader = input.reader;
  // perf 6.19 keeps exited threads for perf report only: perf diff's are the defaults
  const pipeline = new Pipeline(reader, {
    merge: options.merge,
    symbols: options.symbols,
    kallsymsFiles,
  });
  const trace = new TraceFormatter(reader);
  if (!reader.header.pipe) trace.nameEvents();
  const resolver = SampleResolver.forPipeline(pipeline, config);
  const file: DiffFile = {
    input,
    hists: new Map(),
    totals: new Map(),
    config: {
      keys: config.keys,
      elided: config.elided,
      cumulate: false,
      callchains: false,
      callerOrder: false,
      collapseSymbolsByName: true,
    },
  };
  const result = await pipeline.run({
    sample(record) {
      const s = record.sample;
      const hists = histsOf(file, s.event);
      const key = resolver.location(s, undefined);
      hists.nrSamples++;
      hists.add(key, s.period, true);
      // "The total_period is updated here before going to the output tree"
      const totals = file.totals.get(hists)!;
      totals.period += s.period;
      if (!key.filtered) totals.nonFiltered += s.period;
    },
  });
  if (reader.header.pipe) trace.nameEvents();
  return { file, result };
}

/** The event's histogram (perf's evsel__hists), made when first needed. */
function histsOf(file: DiffFile, event: EventDesc): Hists {
  let h = file.hists.get(event);
  if (!h) {
    h = new Hists(event, file.config, event.attr.type === AttrType.TRACEPOINT);
    file.hists.set(event, h);
    file.totals.set(h, { period: 0, nonFiltered: 0 });
  }
  return h;
}

/** perf's evsel_match: the first event of the other recording with the same type and config. */
function matchingEvent(file: DiffFile, event: EventDesc): EventDesc | undefined {
  return file.input.reader.events.events.find(
    (e) => e.attr.type === event.attr.type && e.attr.config === event.attr.config,
  );
}

/** perf's data__fprintf, printed with three or more recordings. */
function dataFiles(inputs: readonly DiffInput[]): string {
  let text = '# Data files:\n';
  inputs.forEach((input, i) => {
    text += `#  [${i}] ${input.path} ${i ? '' : '(Baseline)'}\n`;
  });
  return `${text}#\n`;
}

/**
 * perf's hists__process for the baseline's histogram of `event`: entries without pairs dropped
 * with -b, the values computed against each histogram's totals as read, the output sort (which
 * counts the baseline's totals again from what is left), then the table.
 */
function printTable(
  files: readonly DiffFile[],
  event: EventDesc,
  config: DiffConfig,
  quiet: boolean,
): string {
  const base = files[0]!;
  const hists = histsOf(base, event);
  let entries = hists.collapsedEntries();
  if (config.baselineOnly) entries = entries.filter(hasPairs);
  const pairHists = files.map((f, i) => (i ? pairedHists(f, event) : hists));
  const relative = config.filterRelative;
  const asRead = (file: number): number => {
    const h = pairHists[file];
    const t = h && files[file]!.totals.get(h);
    return t ? (relative ? t.nonFiltered : t.period) : 0;
  };
  const values = precompute(entries, files.length, asRead, config);
  const order = hists.outputOrder(
    diffSort(config, files.length, values, (a, b) => hists.sortByKeys(a, b)),
    entries,
  );
  // output_resort counts the baseline's totals again, from the entries it sorts
  const baseTotal = sumPeriods(order, relative);
  const totals = (file: number): number => (file ? asRead(file) : baseTotal);
  const print = { values, totals, config };

  const columns = diffColumns(config, files.length);
  const widths = columnWidths(order, config.keys, config.dsoFilter !== undefined);
  let text = quiet ? '' : formatHeader(columns, config.keys, config.elided, widths);
  for (const he of order) {
    if (he.filtered) continue;
    let line = '';
    for (const c of columns) line += `  ${diffCell(c, he, print)}`;
    text += `${line}${formatKeyColumns(he, config.keys, config.elided, widths)}\n`;
  }
  return text;
}

/** The histogram of the recording's event paired with the baseline's `event`, if any. */
function pairedHists(file: DiffFile, event: EventDesc): Hists | undefined {
  const match = matchingEvent(file, event);
  return match && file.hists.get(match);
}

/** hists__inc_stats over the sorted entries: all periods, or those of unfiltered entries. */
function sumPeriods(entries: readonly HistEntry[], nonFilteredOnly: boolean): number {
  let total = 0;
  for (const he of entries) if (!nonFilteredOnly || !he.filtered) total += he.period;
  return total;
}
