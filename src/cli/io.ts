import { fstatSync, writeSync } from 'node:fs';
import { PerfDataError } from '../session/perf-data/errors';
import { PerfDataReader } from '../session/perf-data/reader';

/** perf's default input: stdin when it is a pipe, else ./perf.data. */
export function defaultInput(input: string | undefined): string {
  if (input) return input;
  try {
    if (fstatSync(0).isFIFO()) return '-';
  } catch {
    // no stdin
  }
  return 'perf.data';
}

/** Opens a recording, or prints why it cannot be opened and returns undefined. */
export function openRecording(input: string | undefined): PerfDataReader | undefined {
  const path = defaultInput(input);
  try {
    return PerfDataReader.open(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') printError(`${path}: no such file`);
    else if (code === 'EACCES') printError(`${path}: permission denied`);
    else if (e instanceof PerfDataError) printError(`${path}: ${e.message}`);
    else throw e;
    return undefined;
  }
}

export function printError(message: string): void {
  process.stderr.write(`perfws: ${message}\n`);
}

/** Writes to stdout synchronously; a closed pipe (`| head`) ends the program quietly. */
export function writeStdout(data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') process.exit(0);
      throw e;
    }
  }
}

/** Reports read warnings on stderr (perf prints similar ones). */
export function reportWarnings(reader: PerfDataReader, symbolWarnings: string[] = []): void {
  for (const w of symbolWarnings) printError(`warning: ${w}`);
  for (const w of reader.warnings) printError(`warning: ${w.message} (at byte offset ${w.offset})`);
  const more = reader.warningCount - reader.warnings.length;
  if (more > 0) printError(`warning: ${more} more warnings`);
}

/** A command's catch: a usage error of `kind` prints its message and exits 2; others rethrow. */
export function exitOnUsageError(
  e: unknown,
  kind: abstract new (...args: never[]) => Error,
): number {
  if (!(e instanceof kind)) throw e;
  printError(e.message);
  return 2;
}
