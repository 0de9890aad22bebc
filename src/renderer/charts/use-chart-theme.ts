import { shallowRef, watch, type ShallowRef } from 'vue';
import { useUiStore } from '../stores/ui';
import { readChartTheme, type ChartTheme } from './chart-theme';

/** The canvas colours of the current theme, read again after every theme switch. */
export function useChartTheme(): ShallowRef<ChartTheme> {
  const ui = useUiStore();
  const theme = shallowRef(readChartTheme());
  // 'post': after App has set data-theme on the document, so the new variables apply.
  watch(
    () => ui.theme,
    () => (theme.value = readChartTheme()),
    { flush: 'post' },
  );
  return theme;
}
