import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import type { CssPixels } from './canvas';

/** An element's content box size, kept current by a ResizeObserver. */
export function useElementSize(target: Ref<HTMLElement | undefined>): {
  width: Ref<CssPixels>;
  height: Ref<CssPixels>;
} {
  const width = ref(0);
  const height = ref(0);
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    const el = target.value;
    if (!el) return;
    const measure = (): void => {
      width.value = Math.floor(el.clientWidth);
      height.value = Math.floor(el.clientHeight);
    };
    measure();
    observer = new ResizeObserver(measure);
    observer.observe(el);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return { width, height };
}
