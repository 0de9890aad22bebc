import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { useRecordingStore } from './recording';
import { useUiStore } from './ui';

/**
 * Which function the Annotate view shows. `openAnnotate(func)` is the one action every
 * "Annotate" entry point calls (top functions, flame graph, call tree, context menus): it takes
 * the `func` index of any session answer and shows the view.
 */
export const useAnnotateStore = defineStore('annotate', () => {
  const recording = useRecordingStore();
  const ui = useUiStore();
  const func = ref<number>();
  /** The instruction picked in the view (index into the answer's instructions). */
  const selected = ref<number>();

  watch(
    () => recording.summary?.meta.path,
    () => {
      func.value = undefined;
      selected.value = undefined;
    },
  );

  function openAnnotate(f: number): void {
    if (func.value !== f) selected.value = undefined;
    func.value = f;
    ui.tab = 'annotate';
  }

  return { func, selected, openAnnotate };
});
