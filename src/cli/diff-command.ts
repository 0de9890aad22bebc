import type { Command } from 'commander';
import type { PerfDataReader } from '../session/perf-data/reader';
import type { DiffInput } from '../session/diff/run-diff';
import { ReportUsageError } from '../session/report/sort-keys';
import { addRecordingOptions, symbolSettings, type RecordingCliOptions } from './common-options';
import { exitOnUsageError, openRecording, printError, reportWarnings, writeStdout } from './io';

export interface DiffCliOptions extends RecordingCliOptions {
  compute?: string;
  period?: boolean;
  formula?: boolean;
  baselineOnly?: boolean;
  order?: string;
  sort?: string;
  symbols?: string;
  comms?: string;
  dsos?: string;
  percentage?: string;
  quiet?: boolean;
}

/** More recordings than this are refused: each is read whole before comparing. */
export const MAX_DIFF_FILES = 16;

/** `perfws diff`: perf diff's comparison of recordings, byte for byte. */
export function registerDiffCommand(program: Command): void {
  const command = program
    .command('diff')
    .description(
      'compare recordings symbol by symbol, like `perf diff` (the first is the baseline; default perf.data.old perf.data)',
    )
    .argument('[files...]', 'BASELINE NEW [NEWER...] (one file: perf.data.old against it)')
    .option(
      '-c, --compute <method>',
      'delta, delta-abs (default), ratio or wdiff:W1,W2: what the columns of newer recordings show',
    )
    .option('-p, --period', 'show the period values')
    .option('-F, --formula', 'show the formula of each value')
    .option('-b, --baseline-only', 'only the entries the baseline has')
    .option('-o, --order <n>', 'sort by the computed column of recording n first (default 1)')
    .option(
      '-s, --sort <keys>',
      'sort by keys: comm, pid, dso, sym (symbol), cpu (default dso,sym)',
    )
    .option('-S, --symbols <symbols>', 'only consider these symbols (comma-separated)')
    .option('-C, --comms <comms>', 'only consider samples of these commands (comma-separated)')
    .option('-d, --dsos <dsos>', 'only consider samples in these DSOs (comma-separated)')
    .option(
      '--percentage <relative|absolute>',
      'percentages of what the filters keep (relative) or of everything (absolute, the default)',
    )
    .option('-q, --quiet', 'no header comments');
  addRecordingOptions(command, 'leave deferred callchains unmerged').action(
    async (files: string[], opts: DiffCliOptions) => {
      process.exitCode = await runDiffCommand(files, opts);
    },
  );
}

/** perf's data_init: no file names compare perf.data.old with perf.data, one compares it with that. */
function diffPaths(files: readonly string[]): string[] {
  if (files.length === 0) return ['perf.data.old', 'perf.data'];
  if (files.length === 1) return ['perf.data.old', files[0]!];
  return [...files];
}

export async function runDiffCommand(files: string[], opts: DiffCliOptions): Promise<number> {
  // loaded on demand: `perfws --help` and the light commands start without it
  const { runDiff } = await import('../session/diff/run-diff');
  const paths = diffPaths(files);
  if (paths.length > MAX_DIFF_FILES) {
    printError(`at most ${MAX_DIFF_FILES} recordings can be compared, not ${paths.length}`);
    return 2;
  }
  const inputs: DiffInput[] = [];
  try {
    for (const path of paths) {
      // `-` is no choice here: every recording is a file (perf diff reads no pipe)
      const reader: PerfDataReader | undefined = path === '-' ? undefined : openRecording(path);
      if (!reader) {
        if (path === '-') printError('perfws diff reads files, not standard input');
        return 1;
      }
      inputs.push({ reader, path });
    }
    let text = '';
    const results = await runDiff(inputs, {
      compute: opts.compute,
      order: opts.order,
      period: opts.period,
      formula: opts.formula,
      baselineOnly: opts.baselineOnly,
      sort: opts.sort,
      symbolList: opts.symbols,
      comms: opts.comms,
      dsos: opts.dsos,
      percentage: opts.percentage,
      quiet: opts.quiet,
      merge: opts.mergeCallchains,
      symbols: symbolSettings(opts),
      // perf prints after reading everything: collect it, write it once
      write: (s) => (text += s),
    });
    const failed = results.findIndex((r) => r.error);
    if (failed >= 0) {
      printError(`Failed to process ${paths[failed]}: ${results[failed]!.error!.message}`);
      return 1;
    }
    writeStdout(text);
    if (!opts.quiet) {
      results.forEach((r, i) => reportWarnings(inputs[i]!.reader, r.symbolWarnings));
    }
    return 0;
  } catch (e) {
    return exitOnUsageError(e, ReportUsageError);
  } finally {
    for (const input of inputs) input.reader.close();
  }
}
