import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { addSymbolOptions, symbolArguments, type SymbolCliOptions } from './common-options';

interface OpenCliOptions extends SymbolCliOptions {
  compare?: string;
}

/**
 * `perfws open FILE`: the desktop app on a recording. The launcher is the same as `npm start`'s
 * (scripts/start.mjs: builds the app if needed, finds Electron, and where Electron cannot start
 * prints the `perfws serve` command for the same recording), so both behave alike.
 */
export function registerOpenCommand(program: Command): void {
  const command = program
    .command('open')
    .description('open a recording in the desktop app (a running app opens it in a new window)')
    .argument('<file>', 'the recording (a file or a perf.data directory)')
    .option(
      '--compare <new>',
      'a second recording, compared against FILE (the baseline) in the differential views',
    );
  addSymbolOptions(command, { sourcePath: true }).action(
    async (file: string, opts: OpenCliOptions) => {
      process.exitCode = await runOpenCommand(file, opts);
    },
  );
}

/** The checkout the CLI runs from: out/node/perfws.js and src/cli/ both sit two levels down. */
export const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const LAUNCHER = resolve(APP_ROOT, 'scripts', 'start.mjs');

/**
 * The launcher's arguments: absolute paths, symbol options in `--opt=value` form (the launcher
 * passes `--no-demangle` on to the app with Electron's switches; the app parses it).
 */
export function launcherArguments(file: string, opts: OpenCliOptions, cwd: string): string[] {
  const compare = opts.compare === undefined ? [] : [`--compare=${resolve(cwd, opts.compare)}`];
  return [resolve(cwd, file), ...compare, ...symbolArguments(opts, cwd)];
}

export async function runOpenCommand(file: string, opts: OpenCliOptions): Promise<number> {
  if (!existsSync(LAUNCHER)) {
    process.stderr.write(
      `perfws open: the desktop app is not part of this installation (no ${LAUNCHER})\n`,
    );
    return 1;
  }
  const child = spawn(
    process.execPath,
    [LAUNCHER, ...launcherArguments(file, opts, process.cwd())],
    { stdio: 'inherit' },
  );
  return new Promise((done) => {
    child.on('error', (e) => {
      process.stderr.write(`perfws open: ${e.message}\n`);
      done(1);
    });
    child.on('exit', (code) => done(code ?? 1));
  });
}
