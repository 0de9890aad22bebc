import type { ChartTheme } from '../../src/renderer/charts/chart-theme';

/** Named colours, so drawn calls say what they are. */
export const TEST_THEME: ChartTheme = {
  dark: false,
  background: 'bg',
  text: 'text',
  textMuted: 'muted',
  grid: 'grid',
  accent: 'accent',
  activity: 'activity',
  activitySelectedThread: 'activity-selected',
  selection: 'selection',
  selectionEdge: 'selection-edge',
  marker: 'marker',
  hoverLine: 'hover',
  boxText: 'box-text',
  boxBorder: 'box-border',
  dimmedBox: 'dimmed',
  dimmedText: 'dimmed-text',
  searchMatch: 'match',
  monoFont: 'monospace',
};
