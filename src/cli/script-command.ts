import { statSync } from 'node:fs';
import { formatHeader } from '../session/perf-data/header-print';
import { ScriptUsageError } from '../session/script/fields';
import { runScript } from '../session/script/run-script';
import type { ScriptCliOptions } from './perfws';
import { openRecording, printError, reportWarnings, symbolOptions, writeStdout } from './io';

export async function runScriptCommand(opts: ScriptCliOptions): Promise<number> {
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
      symbols: symbolOptions(opts),
      write: writeStdout,
    });
    reportWarnings(reader, result.symbolWarnings);
    if (result.error) {
      printError(result.error.message);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ScriptUsageError) {
      printError(e.message);
      return 2;
    }
    throw e;
  } finally {
    reader.close();
  }
}
