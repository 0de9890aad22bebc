import type { Command } from 'commander';
import { ReportUsageError } from '../session/report/sort-keys';
import { addRecordingOptions, symbolSettings, type RecordingCliOptions } from './common-options';
import { exitOnUsageError, openRecording, printError, reportWarnings, writeStdout } from './io';

export interface ReportCliOptions extends RecordingCliOptions {
  input?: string;
  stdio?: boolean;
  children?: boolean;
  sort?: string;
  callGraph?: string | true;
  percentLimit?: string;
  quiet?: boolean;
  symbols?: string;
  comms?: string;
  dsos?: string;
  percentage?: string;
  showNrSamples?: boolean;
  group?: boolean;
}

/** `perfws report`: perf report --stdio's tables and call graphs, byte for byte. */
export function registerReportCommand(program: Command): void {
  const command = program
    .command('report')
    .description('print the overhead of each symbol with call graphs, like `perf report --stdio`')
    .option('-i, --input <file>', 'the recording (a file, a perf.data directory, or - for stdin)')
    .option('--stdio', 'print to standard output (the only mode; accepted for perf compatibility)')
    .option('--children', 'add the callees period to each entry (default with callchains)')
    .option('--no-children', 'only the period of samples in the entry itself')
    .option('-s, --sort <keys>', 'sort by keys: comm, pid, dso, sym (symbol), trace')
    .option(
      '-g, --call-graph [spec]',
      'call graph: none, or graph|fractal,threshold[,print_limit],caller|callee,function,percent|period|count',
    )
    .option('--percent-limit <percent>', "don't show entries under that percent")
    .option('-q, --quiet', 'no header comments')
    .option('-S, --symbols <symbols>', 'only consider these symbols (comma-separated)')
    .option('--comms <comms>', 'only consider samples of these commands (comma-separated)')
    .option('--dsos <dsos>', 'only consider samples in these DSOs (comma-separated)')
    .option(
      '--percentage <relative|absolute>',
      'percentages of what the filters keep (relative) or of everything (absolute, the default)',
    )
    .option('-n, --show-nr-samples', 'show a Samples column')
    .option('--group', 'show event groups with one column per member (default with groups)')
    .option('--no-group', 'show the events of a group one after the other');
  addRecordingOptions(command, 'leave deferred callchains unmerged').action(
    async (opts: ReportCliOptions) => {
      process.exitCode = await runReportCommand(opts);
    },
  );
}

export async function runReportCommand(opts: ReportCliOptions): Promise<number> {
  // loaded on demand: `perfws --help` and the light commands start without it
  const { runReport } = await import('../session/report/run-report');
  const reader = openRecording(opts.input);
  if (!reader) return 1;
  try {
    let text = '';
    const result = await runReport(reader, {
      children: opts.children,
      sort: opts.sort,
      callGraph: opts.callGraph === true ? '' : opts.callGraph,
      percentLimit: opts.percentLimit,
      quiet: opts.quiet,
      symbolList: opts.symbols,
      comms: opts.comms,
      dsos: opts.dsos,
      percentage: opts.percentage,
      showNrSamples: opts.showNrSamples,
      group: opts.group,
      merge: opts.mergeCallchains,
      symbols: symbolSettings(opts),
      // perf prints the report after reading everything: collect it, write it once.
      write: (s) => (text += s),
    });
    writeStdout(text);
    if (!opts.quiet) reportWarnings(reader, result.symbolWarnings);
    if (result.error) {
      printError(result.error.message);
      return 1;
    }
    if (result.noSamples) printError(`The ${reader.path} data has no samples!`);
    return 0;
  } catch (e) {
    return exitOnUsageError(e, ReportUsageError);
  } finally {
    reader.close();
  }
}
