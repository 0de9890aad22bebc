import { u64PeriodText, u64PeriodValue } from '../perf-data/sample-read';
import { CallGraphPrinter } from './callgraph-print';
import { sortGraphAbs, sortGraphRel } from './callchain-tree';
import { groupDescription, type EventGroup } from './event-group';
import type { Hists } from './hists';
import type { ReportConfig } from './report-config';
import { columnWidths, formatEntryLine, formatTableHeader, type TableColumns } from './table-print';

/** perf's convert_unit: 1284 samples print as "1K". */
function sampleCount(n: number): string {
  let unit = ' ';
  for (const u of ['K', 'M', 'G']) {
    if (n > 1000) {
      n = Math.floor(n / 1000);
      unit = u;
    }
  }
  return `${n}${unit}`;
}

/**
 * perf's hists__fprintf_nr_sample_events: "events" for the leader of a group of several (perf
 * looks at evsel->core.nr_members, also when the group view is off); in the group view the
 * group's description and the members' samples and periods added up.
 */
function sampleHeader(
  h: Hists,
  relative: boolean,
  group: EventGroup | undefined,
  view: Hists[] | undefined,
): string {
  // --percentage relative counts only what the filters keep
  const samplesOf = (m: Hists) => (relative ? m.nrNonFilteredSamples : m.nrSamples);
  let samples = samplesOf(h);
  let total = totalOf(h, relative);
  let name = h.event.name;
  if (group && view) {
    name = groupDescription(group);
    for (const m of view.slice(1)) {
      samples += samplesOf(m);
      total += totalOf(m, relative);
    }
  }
  return (
    `# Samples: ${sampleCount(samples)} of event${group ? 's' : ''} '${name}'\n` +
    `# Event count (approx.): ${u64PeriodText(total)}\n#\n`
  );
}

/** perf's hists__total_period: what percentages are of. */
function totalOf(h: Hists, relative: boolean): number {
  return relative ? h.nonFilteredPeriod() : h.totalPeriod;
}

/**
 * One event's part of `perf report --stdio` (the sample counts and hists__fprintf): the table,
 * and under each entry its call graph when call graphs are on.
 */
export function printEventTable(
  h: Hists,
  config: ReportConfig,
  quiet: boolean,
  /** The group `h`'s event leads, if any. */
  group?: EventGroup,
  /** perf's group view: the group's histograms, the leader's first. */
  view?: Hists[],
): string {
  const entries = h.outputOrder();
  if (config.callchains) {
    // perf's output_resort sorts each entry's chains against the threshold.
    const minHit = Math.floor(h.callchainPeriod * (config.graphMinPercent / 100));
    for (const e of entries) {
      if (!e.callchain) continue;
      if (config.graph.mode === 'fractal')
        sortGraphRel(e.callchain.node, config.graphMinPercent / 100);
      else sortGraphAbs(e.callchain.node, minHit);
    }
  }
  const cols: TableColumns = {
    children: config.cumulate,
    keys: config.keys,
    elided: config.elided,
    groupTotals: view?.map((m) => u64PeriodValue(totalOf(m, config.filterRelative))),
    samples: config.showNrSamples,
  };
  const widths = columnWidths(entries, config.keys, config.dsoFilter !== undefined);
  const printer = new CallGraphPrinter(config.graph);
  const total = u64PeriodValue(totalOf(h, config.filterRelative));
  let out = quiet
    ? ''
    : sampleHeader(h, config.filterRelative, group, view) + formatTableHeader(cols, widths);
  for (const e of entries) {
    if (e.filtered) continue;
    const period = u64PeriodValue(config.cumulate ? e.accPeriod : e.period);
    const percent = Math.fround(total ? (period * 100) / total : 0);
    if (percent < config.percentLimit) continue;
    out += `${formatEntryLine(e, cols, widths, total)}\n`;
    if (config.callchains && e.callchain) out += printer.format(e.callchain, total, period);
  }
  return out;
}
