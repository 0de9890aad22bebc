import type { RecordingSummary, ThreadSummary, Transform } from '../../shared/contract';
import { formatCount } from '../format/numbers';
import { threadSamples } from './track-rows';

/** What a view that came out empty was looking at. */
export interface EmptyViewContext {
  summary: RecordingSummary;
  event: number;
  /** The threads the view counts: all of them, or those of its scope (one thread, a process). */
  threads: readonly ThreadSummary[];
  /** How those threads are named in a sentence ("worker (11)", "process app"); none for all. */
  scopeLabel?: string;
  hasSelection: boolean;
  transforms: readonly Transform[];
}

/**
 * Why a view has nothing to show, naming the real cause, first one that applies: a recording
 * without samples (damaged before its first one, or simply empty), an event without samples, a
 * thread or process without samples of the event, the time selection, the transforms.
 */
export function emptyReason(c: EmptyViewContext): string {
  const meta = c.summary.meta;
  if (meta.samples === 0) {
    if (meta.truncatedAt !== undefined) {
      return `The file ends at byte ${formatCount(meta.truncatedAt)}, before its first sample: there is nothing to show.`;
    }
    if (meta.error) return `The recording is damaged before its first sample: ${meta.error}`;
    return 'This recording has no samples.';
  }
  const event = c.summary.events[c.event];
  const name = event?.name ?? 'this event';
  if (!event || event.samples === 0) return `The recording has no samples of ${name}.`;
  const inScope = c.threads.reduce((n, t) => n + threadSamples(t, c.event), 0);
  if (inScope === 0) return `${c.scopeLabel ?? 'These threads'} has no samples of ${name}.`;
  if (c.hasSelection) return `No samples of ${name} in the selected time range.`;
  if (c.transforms.length) return `The transforms leave no samples of ${name}.`;
  return `No samples of ${name} here.`;
}

/** How a view's scope reads in a sentence: a thread by name and tid, a process by name. */
export function threadScopeLabel(t: ThreadSummary): string {
  return `Thread ${t.name} (${t.tid})`;
}

export function processScopeLabel(t: ThreadSummary): string {
  return `Process ${t.processName || t.pid} (pid ${t.pid})`;
}
