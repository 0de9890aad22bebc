/**
 * Source files named by the debug information, found and read for the annotate view: under the
 * symfs, at their recorded path, then under each configured folder (the whole path, then the
 * base name). Only regular files up to a size bound are read, and only the lines asked for go
 * into an answer.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface SourceSearch {
  symfs?: string;
  /** Extra folders, separated by ':'. */
  sourcePath?: string;
}

/** Files larger than this are not read (no source file is; a generated one might be). */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
/** At most this many lines of one file go into an answer. */
export const MAX_SOURCE_LINES = 4000;

function isReadableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    return st.isFile() && st.size <= MAX_SOURCE_BYTES;
  } catch {
    return false;
  }
}

/** The candidates for a path from the debug information, in search order. */
export function sourceCandidates(file: string, search: SourceSearch): string[] {
  const out: string[] = [];
  const absolute = path.isAbsolute(file);
  if (absolute && search.symfs) out.push(path.join(search.symfs, file));
  if (absolute) out.push(file);
  for (const dir of (search.sourcePath ?? '').split(':')) {
    if (!dir) continue;
    out.push(path.join(dir, file), path.join(dir, path.basename(file)));
  }
  return out;
}

export function findSourceFile(file: string, search: SourceSearch): string | undefined {
  return sourceCandidates(file, search).find(isReadableFile);
}

/** Lines [from, to] (1-based, inclusive, clamped to the file) of a text file. */
export function readSourceLines(
  file: string,
  from: number,
  to: number,
): { firstLine: number; lines: string[] } {
  const text = fs.readFileSync(file, 'utf8');
  const all = text.split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  const first = Math.max(1, from);
  const last = Math.min(all.length, to, first + MAX_SOURCE_LINES - 1);
  return {
    firstLine: first,
    lines: all.slice(first - 1, Math.max(first - 1, last)).map((l) => l.replace(/\r$/, '')),
  };
}
