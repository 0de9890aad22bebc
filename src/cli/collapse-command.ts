import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { Weight } from '../shared/contract';
import { SessionError } from '../shared/contract/errors';
import { symbolSettings } from './common-options';
import { exitOnUsageError, openRecording, printError, reportWarnings, writeStdout } from './io';
import {
  addFoldingOptions,
  FilterUsageError,
  sampleFilters,
  transformsOf,
  type FoldingCliOptions,
  type SampleFilterOptions,
} from './sample-filters';

const WEIGHTS: readonly Weight[] = ['period', 'samples', 'off-cpu'];

interface CollapseCliOptions extends FoldingCliOptions {
  input?: string;
  output?: string;
  pid?: boolean;
  tid?: boolean;
  kernel?: boolean;
  addrs?: boolean;
  weight: Weight;
  allEvents?: boolean;
  threads?: string;
  pids?: string;
}

export function registerCollapseCommand(program: Command): void {
  const command = program
    .command('collapse')
    .description(
      'write folded stacks (comm;outer;...;inner count) for flamegraph.pl, inferno and speedscope',
    )
    .option('-i, --input <file>', 'the recording')
    .option('-o, --output <file>', 'write here instead of standard output')
    .option('--pid', 'prefix stacks with comm-PID (stackcollapse-perf.pl --pid)')
    .option('--tid', 'prefix stacks with comm-PID/TID (stackcollapse-perf.pl --tid)')
    .option('--kernel', 'annotate kernel frames with _[k] (stackcollapse-perf.pl --kernel)')
    .option('--addrs', 'unresolved frames as [library <address>] (stackcollapse-perf.pl --addrs)')
    .option(
      '--weight <what>',
      'period (default, as stackcollapse-perf.pl), samples, or off-cpu (nanoseconds off the ' +
        'CPU, from --switch-events or sched:sched_switch recordings)',
      'period',
    );
  addFoldingOptions(command, {
    verb: 'fold',
    allEvents: true,
    threads: '--threads',
    pids: '--pids',
  }).action(async (opts: CollapseCliOptions) => {
    process.exitCode = await runCollapse(opts);
  });
}

async function runCollapse(opts: CollapseCliOptions): Promise<number> {
  // loaded on demand: `perfws --help` and the light commands start without it
  const [{ loadProfile }, { foldedLines }] = await Promise.all([
    import('../session/model/model-builder'),
    import('../session/query/folded'),
  ]);
  if (!WEIGHTS.includes(opts.weight)) {
    printError(`--weight must be ${WEIGHTS.join(', ')}, not ${opts.weight}`);
    return 2;
  }
  const filterOptions: SampleFilterOptions = { ...opts, tids: opts.threads, pids: opts.pids };
  try {
    if (transformsOf(filterOptions).length && opts.addrs) {
      printError('--addrs cannot be combined with --transform: transforms work on functions');
      return 2;
    }
  } catch (e) {
    return exitOnUsageError(e, FilterUsageError);
  }
  const reader = openRecording(opts.input);
  if (!reader) return 1;
  let out: number | undefined;
  try {
    const profile = await loadProfile(reader, { symbols: symbolSettings(opts) });
    reportWarnings(reader);
    if (opts.weight === 'off-cpu' && profile.meta.switchSource === undefined) {
      printError(
        '--weight off-cpu needs context switches: record with --switch-events or ' +
          '-e sched:sched_switch -g',
      );
      return 2;
    }
    const filters = sampleFilters(profile, filterOptions);
    const write = opts.output
      ? (() => {
          out = openSync(opts.output, 'w');
          return (text: string) => writeSync(out!, text);
        })()
      : writeStdout;
    for (const chunk of foldedLines(profile, {
      filters,
      pid: opts.pid,
      tid: opts.tid,
      kernelAnnotate: opts.kernel,
      addresses: opts.addrs,
      weight: opts.weight,
      allEvents: opts.allEvents || undefined,
    })) {
      write(chunk.join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    return exitOnUsageError(e, e instanceof SessionError ? SessionError : FilterUsageError);
  } finally {
    if (out !== undefined) closeSync(out);
    reader.close();
  }
}
