import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

export interface OpenCliOptions {
  symfs?: string;
  kallsyms?: string;
  buildidDir?: string;
  sourcePath?: string;
}

/**
 * `perfws open FILE`: the desktop app on a recording. The launcher is the same as `npm start`'s
 * (scripts/start.mjs: builds the app if needed, finds Electron, and where Electron cannot start
 * prints the `perfws serve` command for the same recording), so both behave alike.
 */
export function registerOpenCommand(program: Command): void {
  program
    .command('open')
    .description('open a recording in the desktop app (a running app opens it in a new window)')
    .argument('<file>', 'the recording (a file or a perf.data directory)')
    .option('--symfs <dir>', 'look every binary and debug file up under this directory')
    .option(
      '--kallsyms <file>',
      'kernel symbols (a copy of /proc/kallsyms of the recording machine)',
    )
    .option('--buildid-dir <dir>', 'build-id cache directory (default ~/.debug)')
    .option('--source-path <dirs>', "folders to look for source files in (annotate), ':'-separated")
    .action(async (file: string, opts: OpenCliOptions) => {
      process.exitCode = await runOpenCommand(file, opts);
    });
}

/** The checkout the CLI runs from: out/node/perfws.js and src/cli/ both sit two levels down. */
export const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const LAUNCHER = resolve(APP_ROOT, 'scripts', 'start.mjs');

/** The launcher's arguments: absolute paths, symbol options in `--opt=value` form. */
export function launcherArguments(file: string, opts: OpenCliOptions, cwd: string): string[] {
  const args = [resolve(cwd, file)];
  if (opts.symfs) args.push(`--symfs=${resolve(cwd, opts.symfs)}`);
  if (opts.kallsyms) args.push(`--kallsyms=${resolve(cwd, opts.kallsyms)}`);
  if (opts.buildidDir) args.push(`--buildid-dir=${resolve(cwd, opts.buildidDir)}`);
  if (opts.sourcePath) {
    const dirs = opts.sourcePath.split(':').filter(Boolean);
    args.push(`--source-path=${dirs.map((d) => resolve(cwd, d)).join(':')}`);
  }
  return args;
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
