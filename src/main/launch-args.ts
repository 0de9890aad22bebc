import { resolve } from 'node:path';
import type { SymbolSettings } from '../shared/contract';
import { parseRecordingTarget, type RecordingTarget } from './recording-target';

/**
 * The app's own command line: `[FILE]... [--symfs DIR] [--kallsyms FILE] [--buildid-dir DIR]
 * [--source-path DIR:DIR...]`
 * (both `--opt VALUE` and `--opt=VALUE`). The symbol options apply to every file. Anything else
 * starting with `-` is Chromium's or Electron's (`--no-sandbox`, `--inspect=0`...) and skipped.
 */
export interface LaunchRequest {
  recordings: RecordingTarget[];
}

const SYMBOL_OPTIONS = {
  '--symfs': 'symfs',
  '--kallsyms': 'kallsyms',
  '--buildid-dir': 'buildidDir',
  '--source-path': 'sourcePath',
} as const satisfies Record<string, keyof SymbolSettings>;
type SymbolOption = keyof typeof SYMBOL_OPTIONS;

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
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    const [name, inlineValue] = splitOption(arg);
    if (isSymbolOption(name)) {
      const value = inlineValue ?? args[++i];
      if (value !== undefined && value !== '') {
        symbols[SYMBOL_OPTIONS[name]] =
          name === '--source-path'
            ? value
                .split(':')
                .filter(Boolean)
                .map((d) => resolve(cwd, d))
                .join(':')
            : resolve(cwd, value);
      }
      continue;
    }
    if (arg.startsWith('-')) continue;
    files.push(arg);
  }
  return { recordings: files.map((f) => ({ path: resolve(cwd, f), symbols: { ...symbols } })) };
}

/**
 * A second instance hands its request to the first through `requestSingleInstanceLock`'s
 * additional data (already parsed against its own working directory: Chromium may reorder the
 * argv it forwards, and switches lose their values).
 */
export interface Handoff {
  perfws: 1;
  recordings: RecordingTarget[];
}

export function handoffOf(request: LaunchRequest): Handoff {
  return { perfws: 1, recordings: request.recordings };
}

export function parseHandoff(data: unknown): LaunchRequest | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { perfws, recordings } = data as { perfws?: unknown; recordings?: unknown };
  if (perfws !== 1 || !Array.isArray(recordings)) return undefined;
  const targets = recordings.map(parseRecordingTarget);
  if (targets.some((t) => t === undefined)) return undefined;
  return { recordings: targets as RecordingTarget[] };
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function isSymbolOption(name: string): name is SymbolOption {
  return Object.hasOwn(SYMBOL_OPTIONS, name);
}
