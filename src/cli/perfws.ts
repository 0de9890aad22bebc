import { Command, Option } from 'commander';
import { registerAnnotateCommand } from './annotate-command';
import { runScriptCommand } from './script-command';
import { registerCollapseCommand } from './collapse-command';
import { registerInjectCommand } from './inject-command';
import { registerOpenCommand } from './open-command';
import { registerReportCommand } from './report-command';
import { registerServeCommand } from './serve-command';
import { runStatsCommand } from './stats-command';

/**
 * `perfws`: the command line of perf workstation. Subcommands mirror perf's where they do the
 * same thing (script, report), and their output matches perf's byte for byte.
 */
const program = new Command();
program
  .name('perfws')
  .description('perf workstation: read Linux perf recordings, merge deferred user callchains')
  .showHelpAfterError();

program
  .command('script')
  .description('print every sample with its callchain, like `perf script`')
  .option('-i, --input <file>', 'the recording (a file, a perf.data directory, or - for stdin)')
  .option('-F, --fields <fields>', 'output fields, as perf script -F (repeatable)', collect, [])
  .option(
    '--no-merge-callchains',
    'print deferred callchain records as recorded instead of merging them',
  )
  .option('--header-only', "print the recording's header information and stop")
  .option('--symfs <dir>', 'look every binary and debug file up under this directory')
  .option('--kallsyms <file>', 'kernel symbols (a copy of /proc/kallsyms of the recording machine)')
  .option('--buildid-dir <dir>', 'build-id cache directory (default ~/.debug)')
  .option('--no-demangle', 'print C++ and Rust symbol names as they are in the binary')
  .action(async (opts: ScriptCliOptions) => {
    process.exitCode = await runScriptCommand(opts);
  });

program
  .command('stats')
  .description('count records and report how the deferred-callchain merge went')
  .option('-i, --input <file>', 'the recording')
  .option('--json', 'print one JSON object')
  .action(async (opts: { input?: string; json?: boolean }) => {
    process.exitCode = await runStatsCommand(opts);
  });

registerAnnotateCommand(program);
registerCollapseCommand(program);
registerInjectCommand(program);
registerReportCommand(program);
registerOpenCommand(program);
registerServeCommand(program);

program.addOption(new Option('--debug').hideHelp());

export interface SymbolCliOptions {
  symfs?: string;
  kallsyms?: string;
  buildidDir?: string;
  demangle: boolean;
}

export interface ScriptCliOptions extends SymbolCliOptions {
  input?: string;
  fields: string[];
  mergeCallchains: boolean;
  headerOnly?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

await program.parseAsync(process.argv);
