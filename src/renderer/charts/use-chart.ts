import { onBeforeUnmount, type Ref, type ShallowRef } from 'vue';
import { perfMark, type PerfMarkName } from '../model/perf-marks';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { FrameScheduler } from './frame-scheduler';
import { useChartTheme } from './use-chart-theme';
import { useElementSize } from './use-element-size';

export interface Chart {
  theme: ShallowRef<ChartTheme>;
  /** The host element's size. */
  width: Ref<CssPixels>;
  height: Ref<CssPixels>;
  /** Draws in the next animation frame (any number of requests make one draw). */
  request(): void;
  /** An input changed what is drawn: the next `drawn` mark says how long its redraw took. */
  input(): void;
  /** A User Timing mark for a finished draw, with `sinceInputMs` when an input caused it. */
  drawn(mark: PerfMarkName, detail: Record<string, number>): void;
}

/**
 * What every canvas chart view needs: its host's size, the theme's colours, one animation frame
 * at a time for its drawing (cancelled with the view), and the redraw-latency figure, measured
 * from the first input the redraw answers.
 */
export function useChart(host: Ref<HTMLElement | undefined>, draw: () => void): Chart {
  const theme = useChartTheme();
  const { width, height } = useElementSize(host);
  const scheduler = new FrameScheduler(draw);
  onBeforeUnmount(() => scheduler.cancel());
  let inputAt: number | undefined;
  return {
    theme,
    width,
    height,
    request: () => scheduler.request(),
    input: () => void (inputAt ??= performance.now()),
    drawn(mark, detail) {
      const ms = inputAt !== undefined ? performance.now() - inputAt : undefined;
      inputAt = undefined;
      perfMark(mark, ms !== undefined ? { ...detail, sinceInputMs: ms } : detail);
    },
  };
}

/**
 * A chart element's pointer handlers after the press (each element binds its own pointerdown):
 * bound with `v-on`, a cancelled pointer ends like a released one.
 */
export function pointerHandlers(
  move: (e: PointerEvent) => void,
  up: (e: PointerEvent) => void,
  leave: () => void,
): Record<
  'pointermove' | 'pointerup' | 'pointercancel' | 'pointerleave',
  (e: PointerEvent) => void
> {
  return { pointermove: move, pointerup: up, pointercancel: up, pointerleave: leave };
}
