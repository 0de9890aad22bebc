import { Command, Option } from 'commander';
import { registerAnnotateCommand } from './annotate-command';
import { registerCollapseCommand } from './collapse-command';
import { registerDiffCommand } from './diff-command';
import { registerExportCommand } from './export-command';
import { registerInjectCommand } from './inject-command';
import { registerOpenCommand } from './open-command';
import { acceptPerfOptionForms } from './perf-option-prefixes';
import { registerReportCommand } from './report-command';
import { registerScriptCommand } from './script-command';
import { registerServeCommand } from './serve-command';
import { registerStatsCommand } from './stats-command';

/**
 * `perfws`: the command line of perf workstation. Subcommands mirror perf's where they do the
 * same thing (script, report), and their output matches perf's byte for byte.
 */
export function perfwsProgram(): Command {
  const program = new Command();
  program
    .name('perfws')
    .description('perf workstation: read Linux perf recordings, merge deferred user callchains')
    .showHelpAfterError();

  registerScriptCommand(program);
  registerAnnotateCommand(program);
  registerStatsCommand(program);
  registerCollapseCommand(program);
  registerInjectCommand(program);
  registerReportCommand(program);
  registerDiffCommand(program);
  registerExportCommand(program);
  registerOpenCommand(program);
  registerServeCommand(program);

  // perf command lines work as they are: long options by any unambiguous prefix, `--no-` forms.
  for (const command of program.commands) acceptPerfOptionForms(command);

  program.addOption(new Option('--debug').hideHelp());
  return program;
}
