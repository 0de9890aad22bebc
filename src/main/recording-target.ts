import { basename, dirname, isAbsolute } from 'node:path';
import type { SymbolSettings } from '../shared/contract';

/**
 * A recording to open, as main decided it: an absolute path from the dialog, the command line, a
 * drop or the recent list, and the symbol settings that go with it. Never built from a path the
 * renderer named.
 */
export interface RecordingTarget {
  path: string;
  symbols: SymbolSettings;
}

/** What windows, recent entries and messages call the recording. */
export function recordingName(path: string): string {
  return basename(path) || path;
}

export function recordingFolder(path: string): string {
  return dirname(path);
}

/** Accepts only what main itself could have produced: absolute paths, known symbol fields. */
export function parseRecordingTarget(value: unknown): RecordingTarget | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { path, symbols } = value as { path?: unknown; symbols?: unknown };
  if (!isAbsolutePath(path)) return undefined;
  const settings = parseSymbolSettings(symbols ?? {});
  return settings ? { path, symbols: settings } : undefined;
}

function parseSymbolSettings(value: unknown): SymbolSettings | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { symfs, kallsyms, buildidDir, demangle, sourcePath } = value as Record<string, unknown>;
  const settings: SymbolSettings = {};
  for (const [key, v] of [
    ['symfs', symfs],
    ['kallsyms', kallsyms],
    ['buildidDir', buildidDir],
  ] as const) {
    if (v === undefined) continue;
    if (!isAbsolutePath(v)) return undefined;
    settings[key] = v;
  }
  if (sourcePath !== undefined) {
    if (typeof sourcePath !== 'string' || !sourcePath.split(':').every(isAbsolutePath)) {
      return undefined;
    }
    settings.sourcePath = sourcePath;
  }
  if (demangle !== undefined) {
    if (typeof demangle !== 'boolean') return undefined;
    settings.demangle = demangle;
  }
  return settings;
}

function isAbsolutePath(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && !v.includes('\0') && isAbsolute(v);
}
