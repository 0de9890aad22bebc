import type { CssPixels } from './canvas';
import { barHeight } from './pixel-columns';

/**
 * A timeline track's grid lines and bars written as pixels and put on its canvas with one
 * `putImageData`. Drawn with `fillRect`, a track is a call per run of equal columns, several
 * hundred each: 1,000–3,000 a frame over the benchmark recording's tracks while zooming, each
 * recorded by the context and rasterised again when the canvas is committed (13–28 ms of a
 * frame's main-thread work in the commit, in traces of a wheel zoom). Written here they cost a
 * pass over the track's pixels. The opaque theme colours make it the same picture: what is drawn
 * later overwrites; `putImageData` replaces the whole canvas, so this goes first and the
 * selection, marks and overlays are drawn over it.
 */
export class ColumnPixels {
  /** One image, reused for every track (put copies it): a new one per draw is page faults. */
  private image: ImageData | undefined;
  private pixels = new Uint32Array(0);
  private widthPx = 0;
  private heightPx = 0;
  private ratio = 1;
  /** Scratch of `bars`: a line per device column. */
  private tops = new Int32Array(0);

  /** `pixelOf`: a CSS colour as the 32-bit pixel of this machine's byte order. */
  constructor(
    private readonly pixelOf: (css: string) => number,
    private readonly createImage: (width: number, height: number) => ImageData = (w, h) =>
      new ImageData(w, h),
  ) {}

  /** Starts a transparent picture of `widthPx` x `heightPx` device pixels. */
  begin(widthPx: number, heightPx: number, ratio: number): void {
    const image = this.image;
    // as tall as the tallest track so far (tracks of two heights take turns: put takes the top)
    if (!image || image.width !== widthPx || image.height < heightPx) {
      this.image = this.createImage(widthPx, Math.max(heightPx, image?.height ?? 0));
    }
    this.pixels = new Uint32Array(this.image!.data.buffer, 0, widthPx * heightPx);
    this.pixels.fill(0);
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.ratio = ratio;
  }

  /** A vertical line one CSS pixel wide at `x` (whole CSS pixels), over the whole height. */
  line(x: CssPixels, css: string): void {
    const [x0, x1] = this.deviceSpan(x, x + 1, this.widthPx);
    if (x1 <= x0) return;
    const pixel = this.pixelOf(css);
    for (let y = 0; y < this.heightPx; y++) {
      this.pixels.fill(pixel, y * this.widthPx + x0, y * this.widthPx + x1);
    }
  }

  /**
   * Bars from per-column values (`columnMaxima`), as `fillColumns` draws them: each non-zero
   * column `barHeight` CSS pixels tall, up from `bottom`. Written line by line (a `fill` per run
   * and line was a call per few pixels: slower than the `fillRect`s it replaces).
   */
  bars(
    columns: Float64Array,
    scale: number,
    usable: CssPixels,
    bottom: CssPixels,
    css: string,
  ): void {
    const pixel = this.pixelOf(css);
    const { widthPx, heightPx, pixels } = this;
    if (this.tops.length < widthPx) this.tops = new Int32Array(widthPx);
    // each device column's first line of bar (heightPx: none)
    const tops = this.tops.subarray(0, widthPx);
    tops.fill(heightPx);
    const [, yBottom] = this.deviceSpan(0, bottom, heightPx);
    let yFirst = yBottom;
    const r = this.ratio;
    for (let c = 0; c < columns.length; c++) {
      const h = barHeight(columns[c]!, scale, usable);
      if (h === 0) continue;
      const top = Math.max(0, Math.round((bottom - h) * r));
      const x1 = Math.min(widthPx, Math.round((c + 1) * r));
      for (let x = Math.round(c * r); x < x1; x++) tops[x] = top;
      if (top < yFirst) yFirst = top;
    }
    for (let y = yFirst; y < yBottom; y++) {
      const at = y * widthPx;
      for (let x = 0; x < widthPx; x++) if (tops[x]! <= y) pixels[at + x] = pixel;
    }
  }

  /** Puts the picture on the canvas (device pixels: the context's transform does not apply). */
  put(ctx: CanvasRenderingContext2D): void {
    if (this.image) ctx.putImageData(this.image, 0, 0, 0, 0, this.widthPx, this.heightPx);
  }

  /** CSS pixels [from, to) as device pixels, held inside [0, limit). */
  private deviceSpan(from: CssPixels, to: CssPixels, limit: number): [number, number] {
    const r = this.ratio;
    return [
      Math.max(0, Math.min(limit, Math.round(from * r))),
      Math.max(0, Math.min(limit, Math.round(to * r))),
    ];
  }
}
