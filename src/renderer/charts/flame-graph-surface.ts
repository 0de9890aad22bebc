import { computed, ref } from 'vue';
import type { FlameGraphAnswer } from '../../shared/contract';
import { prepareCanvas, type CssPixels } from './canvas';
import { drawFlameGraph, type FlameGraphDrawState } from './flame-graph-draw';
import {
  FLAME_GRAPH_ROW_HEIGHT,
  depthAt,
  flameGraphContentHeight,
  hitNode,
  type FlameGraphIndex,
} from './flame-graph-geometry';
import { lazyTooltip } from './hover-tooltip';
import { useChart } from './use-chart';

/**
 * A flame graph drawn on a canvas that stays in view while its scroller scrolls the rows (root
 * at the bottom of the content): the plain and the differential flame graph both paint and hit
 * test through it.
 */
export interface FlameGraphSurface {
  scroller: HTMLElement;
  canvas: HTMLCanvasElement;
  width: CssPixels;
  height: CssPixels;
  /** flameGraphContentHeight of the answer shown. */
  contentHeight: CssPixels;
}

/**
 * Draws the rows of `answer` the scroller shows; the number of boxes drawn, or -1 when the
 * canvas has no width or no 2D context.
 */
export function paintFlameGraph(
  surface: FlameGraphSurface,
  answer: FlameGraphAnswer,
  state: FlameGraphDrawState,
): number {
  const { scroller, canvas, width, height, contentHeight } = surface;
  if (width <= 0) return -1;
  const ctx = prepareCanvas(canvas, width, height);
  if (!ctx) return -1;
  return drawFlameGraph(
    ctx,
    answer,
    { width, height, scrollTop: scroller.scrollTop, contentHeight },
    state,
  );
}

/** The node under a pointer at client coordinates, or -1. */
export function flameGraphNodeAt(
  surface: Pick<FlameGraphSurface, 'scroller' | 'width' | 'contentHeight'>,
  answer: FlameGraphAnswer,
  index: FlameGraphIndex,
  pointer: { clientX: number; clientY: number },
): number {
  const { scroller, width, contentHeight } = surface;
  const rect = scroller.getBoundingClientRect();
  const y = pointer.clientY - rect.top + scroller.scrollTop;
  const depth = depthAt(y, contentHeight, FLAME_GRAPH_ROW_HEIGHT);
  return hitNode(answer, index, depth, (pointer.clientX - rect.left) / Math.max(1, width));
}

/**
 * What a flame graph view wires: its scroller, canvas and tooltip elements (bind them with
 * `ref="scroller"`, `ref="canvas"`, `ref="tooltipEl"`), the chart that draws with `draw`, the
 * content height of the rows up to `maxDepth`, and the surface once the elements are mounted.
 */
export function useFlameGraphCanvas(draw: () => void, maxDepth: () => number) {
  const scroller = ref<HTMLElement>();
  const canvas = ref<HTMLCanvasElement>();
  const tooltipEl = ref<HTMLElement>();
  const tooltip = lazyTooltip(() => tooltipEl.value);
  const chart = useChart(scroller, draw);
  const contentHeight = computed(() => flameGraphContentHeight(maxDepth(), chart.height.value));
  const surface = (): FlameGraphSurface | undefined => {
    const s = scroller.value;
    const c = canvas.value;
    if (!s || !c) return undefined;
    return {
      scroller: s,
      canvas: c,
      width: chart.width.value,
      height: chart.height.value,
      contentHeight: contentHeight.value,
    };
  };
  return { scroller, canvas, tooltipEl, tooltip, chart, contentHeight, surface };
}
