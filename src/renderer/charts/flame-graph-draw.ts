import type { FlameGraphAnswer } from '../../shared/contract';
import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { frameFill, hatchPattern, isSyntheticKind } from './frame-colors';
import { FLAME_GRAPH_ROW_HEIGHT, rowTop, visibleDepths } from './flame-graph-geometry';
import { fitLabel, LABEL_PADDING } from './label-fit';

export interface FlameGraphViewport {
  width: CssPixels;
  height: CssPixels;
  scrollTop: CssPixels;
  contentHeight: CssPixels;
}

export interface FlameGraphDrawState {
  theme: ChartTheme;
  /** Node under the pointer, or -1. */
  hovered: number;
  /** A search is active: matches stand out, everything else is dimmed. */
  searching: boolean;
  /** The node of the call tree's selected call node, or -1 (outlined in the accent colour). */
  selected?: number;
  /** A node's colour instead of its function's (the differential flame graph's change). */
  fill?: (node: number) => string;
}

/** Boxes narrower than this are drawn as a plain sliver (no border, no label). */
const MIN_LABELLED_WIDTH: CssPixels = 3;

/**
 * Draws the flame graph's visible rows. Only nodes whose row intersects the viewport are
 * touched; returns how many boxes were drawn (for tests and measurements).
 */
export function drawFlameGraph(
  ctx: CanvasRenderingContext2D,
  answer: FlameGraphAnswer,
  viewport: FlameGraphViewport,
  state: FlameGraphDrawState,
): number {
  const { width, height, scrollTop, contentHeight } = viewport;
  const { theme } = state;
  const rowH = FLAME_GRAPH_ROW_HEIGHT;
  const { min, max } = visibleDepths(scrollTop, height, contentHeight, rowH);
  ctx.font = `11px ${theme.monoFont}`;
  ctx.textBaseline = 'middle';
  const charWidth = ctx.measureText('M').width || 7;
  let drawn = 0;
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    if (depth < min || depth > max) continue;
    const x = answer.x[i]! * width;
    const w = answer.w[i]! * width;
    if (w < 0.3 || x > width || x + w < 0) continue;
    const y = rowTop(depth, contentHeight, rowH) - scrollTop;
    const info = answer.funcs[answer.func[i]!];
    const name = info?.name ?? '?';
    const kind = info?.kind ?? 'user';
    const dimmed = state.searching && answer.match[i] !== 1;
    const boxW = Math.max(0.5, w - (w >= MIN_LABELLED_WIDTH ? 1 : 0));
    ctx.fillStyle = dimmed
      ? theme.dimmedBox
      : state.searching
        ? theme.searchMatch
        : (state.fill?.(i) ?? frameFill(name, kind, theme.dark));
    ctx.fillRect(x, y, boxW, rowH - 1);
    if (isSyntheticKind(kind) && !dimmed) {
      const pattern = hatchPattern(ctx, kind, theme.dark);
      if (pattern) {
        ctx.fillStyle = pattern;
        ctx.fillRect(x, y, boxW, rowH - 1);
      }
    }
    if (i === state.selected) {
      ctx.strokeStyle = theme.accent;
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, Math.max(0, boxW - 2), rowH - 3);
    }
    if (i === state.hovered) {
      ctx.strokeStyle = theme.text;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x + 0.75, y + 0.75, Math.max(0, boxW - 1.5), rowH - 2.5);
    }
    if (w >= MIN_LABELLED_WIDTH) {
      const label = fitLabel(name, w, charWidth);
      if (label) {
        ctx.fillStyle = dimmed ? theme.dimmedText : theme.boxText;
        ctx.fillText(label, x + LABEL_PADDING, y + (rowH - 1) / 2 + 0.5);
      }
    }
    drawn++;
  }
  return drawn;
}
