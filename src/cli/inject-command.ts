import type { Command } from 'commander';
import { PerfDataError } from '../session/perf-data/errors';
import { printError } from './io';

export function registerInjectCommand(program: Command): void {
  program
    .command('inject')
    .description(
      'write a classic perf.data with deferred user callchains merged (readable by any perf)',
    )
    .requiredOption('-i, --input <file>', 'the recording with deferred callchains')
    .requiredOption('-o, --output <file>', 'the classic recording to write')
    .option(
      '--merge-callchains',
      'merge deferred user callchains into their samples (the only mode)',
      true,
    )
    .action(async (opts: { input: string; output: string }) => {
      try {
        // loaded on demand: `perfws --help` and the light commands start without it
        const { injectMergedCallchains } = await import('../session/inject');
        const r = await injectMergedCallchains(opts.input, opts.output);
        const m = r.merge;
        process.stderr.write(
          `perfws inject: ${m.merged} samples merged, ${m.unmergedCookieMismatch + m.unmergedEndOfSession} left with ` +
            `their kernel stack only, ${r.droppedRecords} deferred callchain records removed; wrote ${opts.output}\n`,
        );
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (e instanceof PerfDataError) printError(`${opts.input}: ${e.message}`);
        else if (code === 'ENOENT') printError(`${opts.input}: no such file`);
        else throw e;
        process.exitCode = 1;
      }
    });
}
