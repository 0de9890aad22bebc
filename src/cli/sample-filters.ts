import type { Command } from 'commander';
import type { Filters, Transform } from '../shared/contract';
import type { Profile } from '../shared/model';
import { parseTransform } from '../shared/view-state/transform-text';
import { addRecordingOptions, type RecordingCliOptions } from './common-options';

/** The sample filters `perfws collapse` and `perfws export` take, as given. */
export interface SampleFilterOptions {
  event?: string;
  /** Comma-separated thread and process ids. */
  tids?: string;
  pids?: string;
  /** START,END in seconds since the first sample (either may be empty). */
  time?: string;
  userOnly?: boolean;
  kernelOnly?: boolean;
  transform: string[];
  mergeCallchains?: boolean;
}

/** A usage error: printed as it is, exit status 2. */
export class FilterUsageError extends Error {}

/** The transforms of `--transform` options, in order (FilterUsageError for a bad one). */
export function transformsOf(options: SampleFilterOptions): Transform[] {
  try {
    return options.transform.map(parseTransform);
  } catch (e) {
    throw new FilterUsageError((e as Error).message);
  }
}

/** The view filters these options select in `profile` (FilterUsageError for an unknown event). */
export function sampleFilters(profile: Profile, options: SampleFilterOptions): Filters {
  const filters: Filters = { merge: options.mergeCallchains, transforms: transformsOf(options) };
  if (options.event !== undefined) {
    const byName = profile.events.findIndex((e) => e.name === options.event);
    const event = byName >= 0 ? byName : Number(options.event);
    if (!Number.isInteger(event) || !profile.events[event]) {
      throw new FilterUsageError(
        `no event ${options.event}; the recording has ${profile.events.map((e) => e.name).join(', ')}`,
      );
    }
    filters.event = event;
  }
  if (options.tids) {
    const tids = new Set(options.tids.split(',').map(Number));
    filters.threads = profile.threads.flatMap((t, i) => (tids.has(t.tid) ? [i] : []));
  }
  if (options.pids) filters.pids = options.pids.split(',').map(Number);
  if (options.time) {
    const [a, b] = options.time
      .split(',')
      .map((x) => (x === '' || x === undefined ? undefined : Number(x) * 1e9));
    filters.range = { start: a ?? -Infinity, end: b ?? Infinity };
  }
  if (options.userOnly) filters.frames = 'user';
  if (options.kernelOnly) filters.frames = 'kernel';
  return filters;
}

/** What commander makes of the options addFoldingOptions declares (but the id filters). */
export interface FoldingCliOptions extends RecordingCliOptions {
  event?: string;
  time?: string;
  userOnly?: boolean;
  kernelOnly?: boolean;
  transform: string[];
}

/** How a command names its event choice and its thread and process id filters. */
export interface FoldingOptionNames {
  /** What the command does with the chosen event's samples: "fold", "export". */
  verb: string;
  /** Offer `--all-events` (collapse folds every event together; export writes one event). */
  allEvents?: boolean;
  /** collapse keeps `--tid` and `--pid` for stackcollapse-perf.pl's prefixes. */
  threads: '--threads' | '--tid';
  pids: '--pids' | '--pid';
}

/**
 * What collapse and export both take to choose and shape the samples, in their `--help` order:
 * the event, thread and process ids, the sample filters, then the merge and symbol options.
 */
export function addFoldingOptions(command: Command, names: FoldingOptionNames): Command {
  command.option(
    '--event <name|index>',
    `the event to ${names.verb} (default: the one with the most samples)`,
  );
  if (names.allEvents) command.option('--all-events', 'fold every event together');
  command
    .option(`${names.threads} <tids>`, 'only these thread ids (comma-separated)')
    .option(`${names.pids} <pids>`, 'only these process ids (comma-separated)');
  addSampleFilterOptions(command);
  return addRecordingOptions(command, 'deferred user stacks as recorded instead of merged');
}

/** Declares --time, --user-only, --kernel-only and --transform (collapse and export share them). */
export function addSampleFilterOptions(command: Command): Command {
  return command
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
}
