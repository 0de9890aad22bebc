/**
 * Colours for canvas drawing, read from the CSS custom properties of the current theme
 * (styles/theme.css) so canvases and DOM always agree. Read again when the theme changes.
 */
export interface ChartTheme {
  dark: boolean;
  background: string;
  text: string;
  textMuted: string;
  grid: string;
  accent: string;
  activity: string;
  activitySelectedThread: string;
  selection: string;
  selectionEdge: string;
  marker: string;
  hoverLine: string;
  boxText: string;
  boxBorder: string;
  dimmedBox: string;
  dimmedText: string;
  searchMatch: string;
  monoFont: string;
}

const VARIABLES: Record<Exclude<keyof ChartTheme, 'dark'>, string> = {
  background: '--chart-background',
  text: '--text',
  textMuted: '--text-muted',
  grid: '--chart-grid',
  accent: '--accent',
  activity: '--chart-activity',
  activitySelectedThread: '--chart-activity-selected',
  selection: '--chart-selection',
  selectionEdge: '--chart-selection-edge',
  marker: '--chart-marker',
  hoverLine: '--chart-hover-line',
  boxText: '--flame-text',
  boxBorder: '--flame-border',
  dimmedBox: '--flame-dimmed',
  dimmedText: '--flame-dimmed-text',
  searchMatch: '--flame-match',
  monoFont: '--font-mono',
};

export function readChartTheme(root: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(root);
  const theme = { dark: root.getAttribute('data-theme') === 'dark' } as ChartTheme;
  for (const [key, variable] of Object.entries(VARIABLES)) {
    (theme as unknown as Record<string, string>)[key] = style.getPropertyValue(variable).trim();
  }
  return theme;
}
