import { resolve } from 'node:path';
import {
  APP_SYMBOL_OPTIONS,
  resolvePathList,
  type SymbolOptionSpec,
  type SymbolSettings,
} from '../shared/contract';
import { parseRecordingTarget, type RecordingTarget } from './recording-target';

/**
 * The app's own command line: `[FILE]... [--symfs DIR] [--kallsyms FILE] [--buildid-dir DIR]
 * [--no-demangle] [--source-path DIR:DIR...]` (the symbol options of every perfws command, from
 * the one table in shared/contract; values as `--opt VALUE` or `--opt=VALUE`). The symbol options apply to every
 * file. Anything else starting with `-` is Chromium's or Electron's (`--no-sandbox`,
 * `--inspect=0`...) and skipped.
 */
export interface LaunchRequest {
  recordings: RecordingTarget[];
  /** `--compare NEW`: compared against the first recording (the baseline). */
  compare?: RecordingTarget;
}

/**
 * The arguments meant for the app. Packaged: everything after the binary. Run as
 * `electron [SWITCHES] APP ...`: everything after the app path, which is the first argument that
 * is not a switch (Playwright, for one, puts `--inspect=0` and others before it).
 */
export function appArguments(argv: readonly string[], defaultApp: boolean): string[] {
  const afterBinary = argv.slice(1);
  if (!defaultApp) return afterBinary;
  const appPath = afterBinary.findIndex((arg) => !arg.startsWith('-'));
  return appPath < 0 ? [] : afterBinary.slice(appPath + 1);
}

export function parseLaunchArgs(args: readonly string[], cwd: string): LaunchRequest {
  const files: string[] = [];
  const symbols: SymbolSettings = {};
  let compare: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    const [name, inlineValue] = splitOption(arg);
    if (name === '--compare') {
      const value = inlineValue ?? args[++i];
      if (value) compare = resolve(cwd, value);
      continue;
    }
    const symbol = symbolOption(name);
    if (symbol?.spec.kind === 'path') {
      const value = inlineValue ?? args[++i];
      if (value !== undefined && value !== '') symbols[symbol.spec.key] = resolve(cwd, value);
      continue;
    }
    if (symbol?.spec.kind === 'paths') {
      const value = inlineValue ?? args[++i];
      if (value) symbols[symbol.spec.key] = resolvePathList(value, (d) => resolve(cwd, d));
      continue;
    }
    if (symbol?.spec.kind === 'switch') {
      symbols[symbol.spec.key] = symbol.on;
      continue;
    }
    if (arg.startsWith('-')) continue;
    files.push(arg);
  }
  const recordings = files.map((f) => ({ path: resolve(cwd, f), symbols: { ...symbols } }));
  return compare
    ? { recordings, compare: { path: compare, symbols: { ...symbols } } }
    : { recordings };
}

/**
 * A second instance hands its request to the first through `requestSingleInstanceLock`'s
 * additional data (already parsed against its own working directory: Chromium may reorder the
 * argv it forwards, and switches lose their values).
 */
export interface Handoff {
  perfws: 1;
  recordings: RecordingTarget[];
  compare?: RecordingTarget;
}

export function handoffOf(request: LaunchRequest): Handoff {
  const handoff: Handoff = { perfws: 1, recordings: request.recordings };
  if (request.compare) handoff.compare = request.compare;
  return handoff;
}

export function parseHandoff(data: unknown): LaunchRequest | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { perfws, recordings, compare } = data as {
    perfws?: unknown;
    recordings?: unknown;
    compare?: unknown;
  };
  if (perfws !== 1 || !Array.isArray(recordings)) return undefined;
  const targets = recordings.map(parseRecordingTarget);
  if (targets.some((t) => t === undefined)) return undefined;
  if (compare === undefined) return { recordings: targets as RecordingTarget[] };
  const baseline = parseRecordingTarget(compare);
  return baseline ? { recordings: targets as RecordingTarget[], compare: baseline } : undefined;
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

/** `--symfs` → its spec; `--demangle` / `--no-demangle` → the switch and its value. */
function symbolOption(name: string): { spec: SymbolOptionSpec; on: boolean } | undefined {
  for (const spec of APP_SYMBOL_OPTIONS) {
    if (name === `--${spec.name}`) return { spec, on: true };
    if (spec.kind === 'switch' && name === `--no-${spec.name}`) return { spec, on: false };
  }
  return undefined;
}
