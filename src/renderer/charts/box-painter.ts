import type { CssPixels } from './canvas';
import type { ChartTheme } from './chart-theme';
import { frameFill, hatchPattern, isSyntheticKind, type FrameKind } from './frame-colors';
import { fitLabel, LABEL_PADDING } from './label-fit';
import type { PixelFills } from './pixel-fills';

/** Height of a row of boxes in the flame graph and the flame chart (1 px of it is the gap). */
export const BOX_ROW_HEIGHT: CssPixels = 18;
/** Boxes narrower than this are not drawn at all. */
export const MIN_BOX_WIDTH: CssPixels = 0.3;
/** Boxes narrower than this are a plain sliver: no gap to the next one, no label. */
export const MIN_LABELLED_WIDTH: CssPixels = 3;

/** One function's box, in the canvas's CSS pixels. */
export interface Box {
  x: CssPixels;
  y: CssPixels;
  width: CssPixels;
  name: string;
  kind: FrameKind;
  /** Where its label may start (a box cut by the left edge keeps its label on screen). */
  labelX?: CssPixels;
  hovered: boolean;
  /** Outlined in the accent colour (the call tree's selected node). */
  selected?: boolean;
  /** While searching: whether it matches (matches stand out, the rest is dimmed). */
  match: boolean | undefined;
  /** Its colour instead of its function's (the differential flame graph: the change). */
  fill?: string;
}

/**
 * The one box painter of the flame graph and the flame chart: fill by kind (or search state),
 * hatching over the synthetic frames, the selected and the hovered box outlined, the label that
 * fits. With `fills`, the plain fills are written there, and what goes over them (hatching,
 * outlines, labels) waits for `finish`, which puts the fills first.
 */
export class BoxPainter {
  private readonly charWidth: CssPixels;
  /** Boxes with something to draw over their fill, while the fills wait in `fills`. */
  private readonly over: Box[] = [];

  constructor(
    private readonly ctx: CanvasRenderingContext2D,
    private readonly theme: ChartTheme,
    private readonly fills?: PixelFills,
  ) {
    ctx.font = `11px ${theme.monoFont}`;
    ctx.textBaseline = 'middle';
    this.charWidth = ctx.measureText('M').width || 7;
  }

  paint(box: Box): void {
    const { ctx } = this;
    const { x, y, width: w, kind } = box;
    const rowH = BOX_ROW_HEIGHT;
    const boxW = boxFillWidth(w);
    const fill = this.fillOf(box.name, kind, box.match, box.fill);
    if (this.fills) {
      this.fills.fill(x, y, boxW, rowH - 1, fill);
      if (w >= MIN_LABELLED_WIDTH || box.hovered || box.selected || isSyntheticKind(kind))
        this.over.push(box);
      return;
    }
    ctx.fillStyle = fill;
    ctx.fillRect(x, y, boxW, rowH - 1);
    this.paintOver(box);
  }

  /**
   * With `fills`: a box with nothing over its fill (narrower than a label, not hovered, not
   * selected, not synthetic), without making a `Box`: most boxes of a big flame chart are
   * slivers, and tens of thousands of objects a draw cost as much in garbage collection.
   */
  fillSliver(x: CssPixels, y: CssPixels, w: CssPixels, fill: string, match?: boolean): boolean {
    if (!this.fills || w >= MIN_LABELLED_WIDTH) return false;
    this.fills.fill(
      x,
      y,
      boxFillWidth(w),
      BOX_ROW_HEIGHT - 1,
      this.fillOf('', 'user', match, fill),
    );
    return true;
  }

  private fillOf(name: string, kind: FrameKind, match: boolean | undefined, fill?: string): string {
    const { theme } = this;
    if (match === false) return theme.dimmedBox;
    if (match) return theme.searchMatch;
    return fill ?? frameFill(name, kind, theme.dark);
  }

  /**
   * With `fills`: puts them on the canvas, then draws what goes over them; returns those boxes
   * (what a kept picture draws again over its fills).
   */
  finish(): Box[] {
    if (!this.fills) return [];
    this.fills.put(this.ctx);
    const over = this.over.splice(0);
    for (const box of over) this.paintOver(box);
    return over;
  }

  /** What goes over a box's fill: hatching, outlines, its label. */
  paintOver(box: Box): void {
    const { ctx, theme } = this;
    const { x, y, width: w, name, kind } = box;
    const rowH = BOX_ROW_HEIGHT;
    const dimmed = box.match === false;
    const boxW = boxFillWidth(w);
    if (isSyntheticKind(kind) && !dimmed) {
      const pattern = hatchPattern(ctx, kind, theme.dark);
      if (pattern) {
        ctx.fillStyle = pattern;
        ctx.fillRect(x, y, boxW, rowH - 1);
      }
    }
    if (box.selected) {
      ctx.strokeStyle = theme.accent;
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, Math.max(0, boxW - 2), rowH - 3);
    }
    if (box.hovered) {
      ctx.strokeStyle = theme.text;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x + 0.75, y + 0.75, Math.max(0, boxW - 1.5), rowH - 2.5);
    }
    const labelX = box.labelX ?? x;
    const label = fitLabel(name, x + w - labelX, this.charWidth);
    if (label) {
      ctx.fillStyle = dimmed ? theme.dimmedText : theme.boxText;
      ctx.fillText(label, labelX + LABEL_PADDING, y + (rowH - 1) / 2 + 0.5);
    }
  }
}

/** A box's fill leaves a pixel's gap to the next box when it is wide enough for a label. */
function boxFillWidth(w: CssPixels): CssPixels {
  return Math.max(0.5, w - (w >= MIN_LABELLED_WIDTH ? 1 : 0));
}

/**
 * The box of a row (indexes sorted by position, boxes not overlapping) covering `at`, or -1:
 * hit testing for both charts.
 */
export function boxInRow(
  row: Int32Array | undefined,
  at: number,
  startOf: (box: number) => number,
  endOf: (box: number) => number,
): number {
  if (!row) return -1;
  let lo = 0;
  let hi = row.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const box = row[mid]!;
    if (at < startOf(box)) hi = mid - 1;
    else if (at >= endOf(box)) lo = mid + 1;
    else return box;
  }
  return -1;
}
