import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export type Tab =
  | 'summary'
  | 'flame-graph'
  | 'flame-chart'
  | 'samples'
  | 'top-functions'
  | 'call-tree'
  | 'annotate';
export const TABS: readonly { id: Tab; label: string; key: string }[] = [
  { id: 'summary', label: 'Summary', key: '1' },
  { id: 'flame-graph', label: 'Flame graph', key: '2' },
  { id: 'flame-chart', label: 'Flame chart', key: '3' },
  { id: 'samples', label: 'Samples', key: '4' },
  { id: 'top-functions', label: 'Top functions', key: '5' },
  { id: 'call-tree', label: 'Call tree', key: '6' },
  { id: 'annotate', label: 'Annotate', key: '7' },
];

export type ThemePreference = 'system' | 'light' | 'dark';

export interface Notice {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

/** Window-level UI state: the tab, the theme, overlays and transient notices. */
export const useUiStore = defineStore('ui', () => {
  const tab = ref<Tab>('flame-graph');
  const themePreference = ref<ThemePreference>('system');
  const systemDark = ref(false);
  const helpOpen = ref(false);
  const aboutOpen = ref(false);
  const notices = ref<Notice[]>([]);
  let nextNotice = 1;

  const theme = computed<'light' | 'dark'>(() =>
    themePreference.value === 'system'
      ? systemDark.value
        ? 'dark'
        : 'light'
      : themePreference.value,
  );

  /** Follows the system's colour scheme, and applies the theme to the document. */
  function watchSystemTheme(win: Window): void {
    const query = win.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    systemDark.value = query.matches;
    query.addEventListener('change', (e) => (systemDark.value = e.matches));
  }

  function cycleTheme(): void {
    const order: ThemePreference[] = ['system', 'light', 'dark'];
    themePreference.value = order[(order.indexOf(themePreference.value) + 1) % order.length]!;
    notify(`Theme: ${themePreference.value}`);
  }

  function notify(text: string, kind: Notice['kind'] = 'info', ms = 3500): void {
    const id = nextNotice++;
    notices.value = [...notices.value.slice(-3), { id, text, kind }];
    setTimeout(() => dismiss(id), kind === 'error' ? Math.max(ms, 8000) : ms);
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  return {
    tab,
    themePreference,
    systemDark,
    theme,
    helpOpen,
    aboutOpen,
    notices,
    watchSystemTheme,
    cycleTheme,
    notify,
    dismiss,
  };
});
