import type { Ref } from 'vue';
import type { FlameGraphAnswer } from '../../shared/contract';
import { prepareCanvas, type CssPixels } from './canvas';
import { drawFlameGraph, type FlameGraphDrawState } from './flame-graph-draw';
import {
  FLAME_GRAPH_ROW_HEIGHT,
  depthAt,
  hitNode,
  type FlameGraphIndex,
} from './flame-graph-geometry';

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

/** A view's surface from its refs, once both elements are mounted. */
export function flameGraphSurface(
  scroller: Ref<HTMLElement | undefined>,
  canvas: Ref<HTMLCanvasElement | undefined>,
  size: { width: Ref<CssPixels>; height: Ref<CssPixels>; contentHeight: Ref<CssPixels> },
): () => FlameGraphSurface | undefined {
  return () => {
    const s = scroller.value;
    const c = canvas.value;
    if (!s || !c) return undefined;
    return {
      scroller: s,
      canvas: c,
      width: size.width.value,
      height: size.height.value,
      contentHeight: size.contentHeight.value,
    };
  };
}
