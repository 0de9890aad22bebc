import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { FunctionTarget } from '../menu/function-menu';

/**
 * The one context menu of the window: which function it was opened on and where. Views call
 * `openFor` from their `contextmenu` handlers; FunctionContextMenu.vue shows and runs it.
 */
export const useContextMenuStore = defineStore('context-menu', () => {
  const menu = shallowRef<{ x: number; y: number; target: FunctionTarget }>();

  function openFor(event: MouseEvent, target: FunctionTarget): void {
    event.preventDefault();
    event.stopPropagation();
    menu.value = { x: event.clientX, y: event.clientY, target };
  }

  function close(): void {
    menu.value = undefined;
  }

  return { menu, openFor, close };
});
