import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  resolvePathList,
  APP_SYMBOL_OPTIONS,
  SYMBOL_OPTIONS,
  type SymbolOptionSpec,
  type SymbolSettings,
} from '../shared/contract';

/** What commander makes of the symbol options (keys as in SymbolSettings). */
export interface SymbolCliOptions {
  symfs?: string;
  kallsyms?: string;
  buildidDir?: string;
  /** Only on the commands that serve the app (`addSymbolOptions(c, { sourcePath: true })`). */
  sourcePath?: string;
  /** undefined unless `--demangle` or `--no-demangle` was given (the default is on). */
  demangle?: boolean;
}

/**
 * perf's symbol options, from the one table in shared/contract: every command that resolves
 * symbols calls this, so they read the same in every `--help`. The `--demangle` form perf also
 * accepts stays out of the help (it is the default).
 */
export function addSymbolOptions(command: Command, o: { sourcePath?: boolean } = {}): Command {
  for (const spec of specs(o.sourcePath)) {
    if (spec.kind === 'path' || spec.kind === 'paths') {
      command.option(`--${spec.name} <${spec.value}>`, spec.description);
    } else {
      command.addOption(new Option(`--${spec.name}`, spec.description).hideHelp());
      command.option(`--no-${spec.name}`, spec.offDescription);
    }
  }
  return command;
}

export function symbolSettings(opts: SymbolCliOptions): SymbolSettings {
  const settings: SymbolSettings = {};
  for (const spec of specs(true)) {
    const value = opts[spec.key];
    if (value === undefined) continue;
    if (spec.kind === 'path') settings[spec.key] = value as string;
    else if (spec.kind === 'paths') settings[spec.key] = resolvePathList(value as string, resolve);
    else settings[spec.key] = value as boolean;
  }
  return settings;
}

/** The symbol options as arguments for another process: paths absolute, `--opt=value` form. */
export function symbolArguments(opts: SymbolCliOptions, cwd: string): string[] {
  const args: string[] = [];
  for (const spec of specs(true)) {
    const value = opts[spec.key];
    if (value === undefined) continue;
    if (spec.kind === 'path') args.push(`--${spec.name}=${resolve(cwd, value as string)}`);
    else if (spec.kind === 'paths')
      args.push(`--${spec.name}=${resolvePathList(value as string, (d) => resolve(cwd, d))}`);
    else if (value === false) args.push(`--no-${spec.name}`);
  }
  return args;
}

function specs(withSourcePath = false): readonly SymbolOptionSpec[] {
  return withSourcePath ? APP_SYMBOL_OPTIONS : SYMBOL_OPTIONS;
}

/**
 * perf 6.19's `--merge-callchains` (merging deferred user callchains is the default; the option
 * says so explicitly) and its `--no-` form.
 */
export function addMergeOptions(command: Command, offDescription: string): Command {
  return command
    .option('--merge-callchains', 'merge deferred user callchains into their samples (default)')
    .option('--no-merge-callchains', offDescription);
}

export interface MergeCliOptions {
  /** undefined: neither form given, merge (perf 6.19's default). */
  mergeCallchains?: boolean;
}

/** What every command reading a recording with symbols and deferred stacks takes. */
export interface RecordingCliOptions extends SymbolCliOptions, MergeCliOptions {}

/**
 * The merge options (`offDescription` says what `--no-merge-callchains` does in this command),
 * then the symbol options: the same in every such command's `--help`.
 */
export function addRecordingOptions(command: Command, offDescription: string): Command {
  return addSymbolOptions(addMergeOptions(command, offDescription));
}
