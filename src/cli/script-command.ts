import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { ScriptUsageError } from '../session/script/fields';
import { addRecordingOptions, symbolSettings, type RecordingCliOptions } from './common-options';
import { exitOnUsageError, openRecording, printError, reportWarnings, writeStdout } from './io';

export interface ScriptCliOptions extends RecordingCliOptions {
  input?: string;
  fields: string[];
  headerOnly?: boolean;
}

/** `perfws script`: every sample with its callchain, byte for byte as `perf script` prints it. */
export function registerScriptCommand(program: Command): void {
  const command = program
    .command('script')
    .description('print every sample with its callchain, like `perf script`')
    .option('-i, --input <file>', 'the recording (a file, a perf.data directory, or - for stdin)')
    .option('-F, --fields <fields>', 'output fields, as perf script -F (repeatable)', collect, [])
    .option('--header-only', "print the recording's header information and stop");
  addRecordingOptions(
    command,
    'print deferred callchain records as recorded instead of merging them',
  ).action(async (opts: ScriptCliOptions) => {
    process.exitCode = await runScriptCommand(opts);
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function runScriptCommand(opts: ScriptCliOptions): Promise<number> {
  // loaded on demand: `perfws --help` and the light commands start without it
  const [{ runScript }, { formatHeader }] = await Promise.all([
    import('../session/script/run-script'),
    import('../session/perf-data/header-print'),
  ]);
  const reader = openRecording(opts.input);
  if (!reader) return 1;
  try {
    if (opts.headerOnly) {
      if (reader.header.pipe) await reader.read(() => {});
      const mtime = reader.path === '-' ? undefined : statSync(reader.path).mtime;
      writeStdout(formatHeader(reader.header, reader.info, reader.events, mtime));
      return 0;
    }
    const result = await runScript(reader, {
      fields: opts.fields,
      merge: opts.mergeCallchains,
      symbols: symbolSettings(opts),
      write: writeStdout,
    });
    reportWarnings(reader, result.symbolWarnings);
    if (result.error) {
      printError(result.error.message);
      return 1;
    }
    return 0;
  } catch (e) {
    return exitOnUsageError(e, ScriptUsageError);
  } finally {
    reader.close();
  }
}
