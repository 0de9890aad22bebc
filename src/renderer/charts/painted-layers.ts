import { prepareCanvas, type CssPixels } from './canvas';

/**
 * Pictures a chart painted, by what they show (an answer, and a key for everything else drawn:
 * view, size, scroll, theme, search), kept beyond the view's life: a tab opened again, or a
 * pointer moving over the chart, copies its picture (well under a millisecond) instead of
 * painting thousands of boxes again. The `capacity` most recently used are kept; their canvases
 * are reused.
 */
export class PaintedLayers<Owner extends object> {
  private readonly entries: { owner: Owner; key: string; canvas: HTMLCanvasElement }[] = [];

  constructor(
    private readonly capacity: number,
    private readonly createCanvas: () => HTMLCanvasElement = () => document.createElement('canvas'),
  ) {}

  /**
   * The picture of `owner` under `key`, painted by `paint` (in CSS pixels, on a cleared canvas
   * of `width` x `height`) when there is none.
   */
  picture(
    owner: Owner,
    key: string,
    width: CssPixels,
    height: CssPixels,
    paint: (ctx: CanvasRenderingContext2D) => void,
  ): HTMLCanvasElement | undefined {
    const at = this.entries.findIndex((e) => e.owner === owner && e.key === key);
    if (at >= 0) {
      const [hit] = this.entries.splice(at, 1);
      this.entries.push(hit!);
      return hit!.canvas;
    }
    const canvas =
      this.entries.length >= this.capacity ? this.entries.shift()!.canvas : this.createCanvas();
    const ctx = prepareCanvas(canvas, width, height);
    if (!ctx) return undefined;
    paint(ctx);
    this.entries.push({ owner, key, canvas });
    return canvas;
  }

  /** Forgets every picture (their canvases go with them). */
  clear(): void {
    this.entries.length = 0;
  }
}
