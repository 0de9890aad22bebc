/**
 * Runs binutils' objdump as a child process: never through a shell, with a time limit and a bound
 * on what it may print, killed when the caller gives up. perf 6.1 runs it through `/bin/sh -c`
 * with the file as "$1"; the arguments objdump sees are the same.
 */
import { execFile } from 'node:child_process';

export interface ObjdumpOptions {
  /** The objdump to run (perf's --objdump); default `objdump` from PATH. */
  objdump?: string;
  /** Killed after this long (default 60 s: objdump -l on a big binary reads all its DWARF). */
  timeoutMs?: number;
  /** Killed once stdout grows past this many bytes (default 64 MiB). */
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export class ObjdumpError extends Error {}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * objdump's standard output as a byte string (latin1: one char per byte, so the bytes of names
 * and source lines survive unchanged to the output), and its exit status. A run that prints
 * nothing is not an error here: perf decides what that means.
 */
export function runObjdump(
  args: readonly string[],
  options: ObjdumpOptions = {},
): Promise<{ stdout: string; stderr: string; status: number }> {
  const program = options.objdump ?? 'objdump';
  const maxBuffer = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      {
        encoding: 'latin1',
        maxBuffer,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        signal: options.signal,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr, status: 0 });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (e.code === 'ENOENT') {
          return reject(
            new ObjdumpError(`cannot run ${program}: not found (annotate needs binutils' objdump)`),
          );
        }
        if (e.name === 'AbortError') return reject(new ObjdumpError('cancelled'));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(new ObjdumpError(`${program} printed more than ${maxBuffer} bytes`));
        }
        if (e.killed) {
          return reject(
            new ObjdumpError(
              `${program} took longer than ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
            ),
          );
        }
        if (typeof e.code === 'number') return resolve({ stdout, stderr, status: e.code });
        reject(new ObjdumpError(`cannot run ${program}: ${e.message}`));
      },
    );
  });
}
