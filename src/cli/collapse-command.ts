import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { Weight } from '../shared/contract';
import { withFilteredProfile } from './filtered-profile';
import { printError, writeStdout } from './io';
import {
  addFoldingOptions,
  sampleFilters,
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
  const { foldedLines } = await import('../session/query/folded');
  if (!WEIGHTS.includes(opts.weight)) {
    printError(`--weight must be ${WEIGHTS.join(', ')}, not ${opts.weight}`);
    return 2;
  }
  const filterOptions: SampleFilterOptions = { ...opts, tids: opts.threads, pids: opts.pids };
  const transformsRefused = opts.addrs
    ? '--addrs cannot be combined with --transform: transforms work on functions'
    : undefined;
  return withFilteredProfile(
    opts,
    filterOptions,
    async (profile) => {
      if (opts.weight === 'off-cpu' && profile.meta.switchSource === undefined) {
        printError(
          '--weight off-cpu needs context switches: record with --switch-events or ' +
            '-e sched:sched_switch -g',
        );
        return 2;
      }
      const filters = sampleFilters(profile, filterOptions);
      let out: number | undefined;
      try {
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
      } finally {
        if (out !== undefined) closeSync(out);
      }
    },
    transformsRefused,
  );
}
