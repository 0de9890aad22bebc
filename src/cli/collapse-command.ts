import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { Filters, Transform, Weight } from '../shared/contract';
import { SessionError } from '../shared/contract/errors';
import { parseTransform } from '../shared/view-state/transform-text';
import {
  addMergeOptions,
  addSymbolOptions,
  symbolSettings,
  type MergeCliOptions,
  type SymbolCliOptions,
} from './common-options';
import { openRecording, printError, reportWarnings, writeStdout } from './io';

const WEIGHTS: readonly Weight[] = ['period', 'samples', 'off-cpu'];

interface CollapseCliOptions extends SymbolCliOptions, MergeCliOptions {
  input?: string;
  output?: string;
  pid?: boolean;
  tid?: boolean;
  kernel?: boolean;
  addrs?: boolean;
  weight: Weight;
  event?: string;
  allEvents?: boolean;
  threads?: string;
  pids?: string;
  time?: string;
  userOnly?: boolean;
  kernelOnly?: boolean;
  transform: string[];
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
    )
    .option('--event <name|index>', 'the event to fold (default: the one with the most samples)')
    .option('--all-events', 'fold every event together')
    .option('--threads <tids>', 'only these thread ids (comma-separated)')
    .option('--pids <pids>', 'only these process ids (comma-separated)')
    .option('--time <start,end>', 'only samples in this range, seconds since the first sample')
    .option('--user-only', 'only user-space frames')
    .option('--kernel-only', 'only kernel frames')
    .option(
      '--transform <kind:name>',
      'transform every stack first (repeatable, in order): focus-function, focus-subtree ' +
        '(F1;F2;...), merge-function, drop-function, collapse-recursion, ' +
        'collapse-direct-recursion, collapse-library (e.g. merge-function:malloc)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    );
  addMergeOptions(command, 'deferred user stacks as recorded instead of merged');
  addSymbolOptions(command).action(async (opts: CollapseCliOptions) => {
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
  let transforms: Transform[];
  try {
    transforms = opts.transform.map(parseTransform);
  } catch (e) {
    printError((e as Error).message);
    return 2;
  }
  if (transforms.length && opts.addrs) {
    printError('--addrs cannot be combined with --transform: transforms work on functions');
    return 2;
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
    const filters: Filters = { merge: opts.mergeCallchains, transforms };
    if (opts.event !== undefined) {
      const byName = profile.events.findIndex((e) => e.name === opts.event);
      const event = byName >= 0 ? byName : Number(opts.event);
      if (!Number.isInteger(event) || !profile.events[event]) {
        printError(
          `no event ${opts.event}; the recording has ${profile.events.map((e) => e.name).join(', ')}`,
        );
        return 2;
      }
      filters.event = event;
    }
    if (opts.threads) {
      const tids = new Set(opts.threads.split(',').map(Number));
      filters.threads = profile.threads.flatMap((t, i) => (tids.has(t.tid) ? [i] : []));
    }
    if (opts.pids) filters.pids = opts.pids.split(',').map(Number);
    if (opts.time) {
      const [a, b] = opts.time
        .split(',')
        .map((x) => (x === '' || x === undefined ? undefined : Number(x) * 1e9));
      filters.range = { start: a ?? -Infinity, end: b ?? Infinity };
    }
    if (opts.userOnly) filters.frames = 'user';
    if (opts.kernelOnly) filters.frames = 'kernel';
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
    if (!(e instanceof SessionError)) throw e;
    printError(e.message);
    return 2;
  } finally {
    if (out !== undefined) closeSync(out);
    reader.close();
  }
}
