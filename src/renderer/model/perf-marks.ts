/**
 * User Timing marks for the moments that matter to performance (loaded, first draw, redraws),
 * readable from tests and DevTools. Each name keeps only its latest mark so a day of use does
 * not pile them up.
 */
export type PerfMarkName =
  | 'perfws:loaded'
  | 'perfws:session-ready'
  | 'perfws:timeline-drawn'
  | 'perfws:flame-graph-drawn'
  | 'perfws:flame-chart-drawn'
  | 'perfws:samples-drawn'
  | 'perfws:call-tree-drawn'
  | 'perfws:call-node-drawn'
  | 'perfws:annotate-drawn'
  | 'perfws:hover-drawn';

export function perfMark(name: PerfMarkName, detail?: Record<string, number>): void {
  performance.clearMarks(name);
  performance.mark(name, detail ? { detail } : undefined);
}
