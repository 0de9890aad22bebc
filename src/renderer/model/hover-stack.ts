import { SampleStatusName, type SampleAtAnswer } from '../../shared/contract';
import type { TooltipContent } from '../charts/hover-tooltip';
import { formatSampleTime } from '../format/time';
import { KIND_LABEL } from './frame-kinds';

/** Frames the hover shows from the leaf (the session sends at most 32). */
export const HOVER_FRAMES = 12;

/** The tag of a sample's merge status: classic, merged, or why its user stack is missing. */
function statusTag(status: number): { text: string; kind: string } {
  const text = SampleStatusName[status] ?? '?';
  return { text, kind: status === 0 ? 'user' : status === 1 ? 'deferred' : 'unmerged' };
}

/**
 * What the timeline's hover says about the sample nearest the cursor (as Firefox Profiler's
 * activity graph does): its time, thread and CPU, the top of its merged stack leaf first with
 * each frame's kind (kernel, user, or a synthetic frame of the deferred merge), and how its
 * user stack came to be.
 */
export function hoverStackTooltip(hit: SampleAtAnswer, threadName: string): TooltipContent {
  const frames = hit.frames.slice(0, HOVER_FRAMES);
  const more = hit.depth - frames.length;
  const lines: TooltipContent['lines'] = frames.map((f) => ({
    label: KIND_LABEL[f.kind],
    value: f.name,
  }));
  if (frames.length === 0) lines.push({ label: '', value: '(no callchain)' });
  return {
    title: `${threadName} ${hit.tid}`,
    subtitle: `sample at ${formatSampleTime(hit.time)} s${hit.cpu >= 0 ? ` · CPU ${hit.cpu}` : ''}`,
    tag: statusTag(hit.status),
    lines,
    note:
      (more > 0 ? `… ${more} more frame${more === 1 ? '' : 's'} · ` : '') +
      'click to select it in the sample list',
  };
}
