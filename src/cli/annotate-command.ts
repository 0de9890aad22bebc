import type { Command } from 'commander';
import { addRecordingOptions, symbolSettings, type RecordingCliOptions } from './common-options';
import { openRecording, printError, reportWarnings, writeStdout } from './io';

export interface AnnotateCliOptions extends RecordingCliOptions {
  input?: string;
  stdio?: boolean;
  symbol?: string;
  showNrSamples?: boolean;
  objdump?: string;
}

/** `perfws annotate`: perf annotate --stdio's disassembly with per-instruction shares. */
export function registerAnnotateCommand(program: Command): void {
  const command = program
    .command('annotate')
    .description(
      'disassemble sampled functions with the share of samples at each instruction, like `perf annotate --stdio` (needs binutils objdump)',
    )
    .argument('[symbol]', 'the symbol to annotate (as -s)')
    .option('-i, --input <file>', 'the recording (a file, a perf.data directory, or - for stdin)')
    .option('--stdio', 'print to standard output (the only mode; accepted for perf compatibility)')
    .option('-s, --symbol <symbol>', 'only this symbol (its name as perf report prints it)')
    .option('-n, --show-nr-samples', 'sample counts instead of percentages')
    .option('--objdump <path>', 'the objdump to run (default: objdump from PATH)');
  addRecordingOptions(command, 'leave deferred callchains unmerged (the ips do not move)').action(
    async (symbol: string | undefined, opts: AnnotateCliOptions) => {
      process.exitCode = await runAnnotateCommand({ ...opts, symbol: opts.symbol ?? symbol });
    },
  );
}

export async function runAnnotateCommand(opts: AnnotateCliOptions): Promise<number> {
  // loaded on demand: `perfws --help` and the light commands start without it
  const { runAnnotate } = await import('../session/annotate/run-annotate');
  const reader = openRecording(opts.input);
  if (!reader) return 1;
  try {
    const result = await runAnnotate(reader, {
      symbol: opts.symbol,
      showNrSamples: opts.showNrSamples,
      merge: opts.mergeCallchains,
      symbols: symbolSettings(opts),
      objdump: opts.objdump,
      write: (bytes) => writeStdout(Buffer.from(bytes, 'latin1')),
      error: (text) => process.stderr.write(text),
    });
    reportWarnings(reader, result.symbolWarnings);
    if (result.error) {
      printError(result.error.message);
      return 1;
    }
    return 0;
  } finally {
    reader.close();
  }
}
