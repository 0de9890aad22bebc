/** Everything a key (or a menu command) can do; `useActions().run` (actions.ts) does each one. */
export type AppAction =
  | 'help'
  | 'tab-summary'
  | 'tab-flame-graph'
  | 'tab-flame-chart'
  | 'tab-samples'
  | 'tab-top-functions'
  | 'tab-call-tree'
  | 'reset-view'
  | 'tab-annotate'
  | 'toggle-merge'
  | 'toggle-kernel'
  | 'focus-search'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'zoom-to-selection'
  | 'pan-left'
  | 'pan-right'
  | 'escape'
  | 'flame-zoom-out'
  | 'export-folded'
  | 'cycle-theme';

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it (without modifiers unless written). */
  keys: readonly string[];
  /** How the help overlay writes the keys. */
  label: string;
  action: AppAction;
  description: string;
  group: 'General' | 'Views' | 'Timeline' | 'Flame graph';
}

/** The one table of shortcuts: the key handler and the help overlay both read it. */
export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: ['?'],
    label: '?',
    action: 'help',
    description: 'Show or hide this help',
    group: 'General',
  },
  {
    keys: ['m'],
    label: 'M',
    action: 'toggle-merge',
    description: 'Merge deferred user stacks on/off',
    group: 'General',
  },
  {
    keys: ['k'],
    label: 'K',
    action: 'toggle-kernel',
    description: 'Show or hide kernel frames',
    group: 'General',
  },
  {
    keys: ['e'],
    label: 'E',
    action: 'export-folded',
    description: 'Export folded stacks (current filters)',
    group: 'General',
  },
  {
    keys: ['t'],
    label: 'T',
    action: 'cycle-theme',
    description: 'Theme: system → light → dark',
    group: 'General',
  },
  {
    keys: ['Escape'],
    label: 'Esc',
    action: 'escape',
    description: 'Close overlays, else clear the time selection',
    group: 'General',
  },
  { keys: ['1'], label: '1', action: 'tab-summary', description: 'Summary', group: 'Views' },
  {
    keys: ['2'],
    label: '2',
    action: 'tab-flame-graph',
    description: 'Flame graph',
    group: 'Views',
  },
  {
    keys: ['3'],
    label: '3',
    action: 'tab-flame-chart',
    description: 'Flame chart',
    group: 'Views',
  },
  { keys: ['4'], label: '4', action: 'tab-samples', description: 'Samples', group: 'Views' },
  {
    keys: ['5'],
    label: '5',
    action: 'tab-top-functions',
    description: 'Top functions',
    group: 'Views',
  },
  {
    keys: ['6'],
    label: '6',
    action: 'tab-call-tree',
    description: 'Call tree (← → expand, ↑↓ move, Enter, * hottest path)',
    group: 'Views',
  },
  { keys: ['7'], label: '7', action: 'tab-annotate', description: 'Annotate', group: 'Views' },
  {
    keys: ['r'],
    label: 'R',
    action: 'reset-view',
    description: 'Reset the view (tab, selection, zoom, toggles, transforms, searches)',
    group: 'General',
  },
  {
    keys: ['/', 'Ctrl+f'],
    label: '/  or  Ctrl+F',
    action: 'focus-search',
    description: 'Search functions (regular expression)',
    group: 'Views',
  },
  { keys: ['+', '='], label: '+', action: 'zoom-in', description: 'Zoom in', group: 'Timeline' },
  { keys: ['-'], label: '−', action: 'zoom-out', description: 'Zoom out', group: 'Timeline' },
  {
    keys: ['0'],
    label: '0',
    action: 'zoom-reset',
    description: 'Show the whole recording',
    group: 'Timeline',
  },
  {
    keys: ['z', 'Enter'],
    label: 'Z  or  Enter',
    action: 'zoom-to-selection',
    description: 'Zoom to the selection',
    group: 'Timeline',
  },
  {
    keys: ['ArrowLeft'],
    label: '←',
    action: 'pan-left',
    description: 'Pan earlier',
    group: 'Timeline',
  },
  {
    keys: ['ArrowRight'],
    label: '→',
    action: 'pan-right',
    description: 'Pan later',
    group: 'Timeline',
  },
  {
    keys: ['Backspace'],
    label: 'Backspace',
    action: 'flame-zoom-out',
    description: 'Zoom out one level',
    group: 'Flame graph',
  },
];

/** Mouse gestures, listed in the help overlay next to the keys. */
export const GESTURES: readonly { label: string; description: string }[] = [
  { label: 'Drag on the tracks', description: 'Select a time range (filters every view)' },
  {
    label: 'Ctrl + wheel',
    description: 'Zoom time around the pointer (the timeline and the flame chart share one view)',
  },
  { label: 'Wheel on the time axis', description: 'Zoom time' },
  { label: 'Shift + wheel, drag the axis or the chart', description: 'Pan time' },
  {
    label: 'Click a box',
    description: 'Zoom the flame graph, or time in the flame chart, into it',
  },
  { label: 'Click a thread', description: 'Select it for the sample list and flame chart' },
];

/** The key as the table writes it: `Ctrl+f`, `?`, `ArrowLeft`. */
export function keyName(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>) {
  return (event.ctrlKey || event.metaKey ? 'Ctrl+' : '') + (event.altKey ? 'Alt+' : '') + event.key;
}

export function actionForKey(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>,
): AppAction | undefined {
  const name = keyName(event);
  return SHORTCUTS.find((s) => s.keys.includes(name))?.action;
}

/** Typing in a text field or using a control's own keys is never a shortcut (Escape aside). */
export function isEditingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}
