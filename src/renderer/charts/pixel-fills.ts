import type { CssPixels } from './canvas';

/**
 * Rows of rectangles (the rows of boxes of the flame chart) written as pixels and put on the
 * canvas with `putImageData`. In Chromium without GPU a `fillRect` costs about 2 µs and
 * setting `fillStyle` to an `hsl()` string parses it every time: the flame chart's 25,000 boxes
 * on the benchmark recording took 55–75 ms a draw. Every rectangle starting on a device line has
 * the same height, and rows do not overlap; so a row is one line of pixels, repeated down its
 * height when put. Memory stays small on purpose: a picture the size of the canvas, new for each
 * draw, cost 13–17 ms more in page faults alone (writing fresh memory on a 2-core VM). The
 * rectangles are in CSS pixels and land on whole device pixels; `putImageData` replaces what the
 * canvas had, so the fills go first and whatever is drawn over them after `put`.
 */
export class PixelFills {
  private rows: PixelRows = new Map();
  private widthPx = 0;
  private heightPx = 0;
  private ratio = 1;
  /** One row's lines, reused: what `putImageData` takes. */
  private band: ImageData | undefined;

  /** `pixelOf`: a CSS colour as the 32-bit pixel of this machine's byte order (0 when unknown). */
  constructor(
    private readonly pixelOf: (css: string) => number,
    private readonly createImage: (width: number, height: number) => ImageData = (w, h) =>
      new ImageData(w, h),
  ) {}

  /** Starts a picture of `width` x `height` device pixels, transparent. */
  begin(widthPx: number, heightPx: number, ratio: number): void {
    this.rows = new Map();
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.ratio = ratio;
  }

  fill(x: CssPixels, y: CssPixels, width: CssPixels, height: CssPixels, css: string): void {
    const { ratio, widthPx, heightPx } = this;
    const x0 = Math.max(0, Math.round(x * ratio));
    const x1 = Math.min(widthPx, Math.max(x0 + 1, Math.round((x + width) * ratio)));
    const y0 = Math.max(0, Math.round(y * ratio));
    const y1 = Math.min(heightPx, Math.max(y0 + 1, Math.round((y + height) * ratio)));
    if (x1 <= x0 || y1 <= y0) return;
    let row = this.rows.get(y0);
    if (!row) this.rows.set(y0, (row = { end: y1, line: new Uint32Array(widthPx) }));
    else if (row.end !== y1) {
      throw new Error(`pixel fills: rectangles from line ${y0} end at line ${row.end} and ${y1}`);
    }
    const pixel = this.pixelOf(css);
    if (x1 - x0 > NARROW_PX) row.line.fill(pixel, x0, x1);
    else for (let i = x0; i < x1; i++) row.line[i] = pixel;
  }

  /** Puts the rows written since `begin` on the canvas (device pixels, no transform). */
  put(ctx: CanvasRenderingContext2D): void {
    this.putRows(ctx, this.rows);
  }

  /** The rows written since `begin`, to put again later (the next picture starts new ones). */
  take(): PixelRows {
    const rows = this.rows;
    this.rows = new Map();
    return rows;
  }

  /** Puts rows taken before on the canvas. */
  putRows(ctx: CanvasRenderingContext2D, rows: PixelRows): void {
    for (const [first, { end, line }] of rows) {
      const width = line.length;
      const height = end - first;
      let band = this.band;
      if (!band || band.width !== width || band.height < height) {
        band = this.band = this.createImage(width, Math.max(height, band?.height ?? 0));
      }
      const pixels = new Uint32Array(band.data.buffer, 0, width * height);
      for (let at = 0; at < pixels.length; at += width) pixels.set(line, at);
      ctx.putImageData(band, 0, first, 0, 0, width, height);
    }
  }
}

/** Rows of pixels by their first device line: the line, and the line after the row's last. */
export type PixelRows = Map<number, { end: number; line: Uint32Array }>;

/** A rectangle at most this wide is written pixel by pixel. */
const NARROW_PX = 8;

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * A colour as canvas contexts write it back (`#rrggbb`, or `rgba(r, g, b, a)` when
 * translucent) to the 32-bit pixel ImageData holds (RGBA bytes, not premultiplied); 0
 * (transparent) for anything else.
 */
export function pixelOfCanvasColour(normalized: string, littleEndian = LITTLE_ENDIAN): number {
  let r: number;
  let g: number;
  let b: number;
  let a = 255;
  const hex = /^#([0-9a-f]{6})$/i.exec(normalized);
  if (hex) {
    const v = parseInt(hex[1]!, 16);
    r = v >> 16;
    g = (v >> 8) & 0xff;
    b = v & 0xff;
  } else {
    const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(normalized);
    if (!m) return 0;
    r = +m[1]!;
    g = +m[2]!;
    b = +m[3]!;
    if (m[4] !== undefined) a = Math.round(Math.min(1, +m[4]) * 255);
  }
  return littleEndian
    ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** How many colours `canvasPixelOf` remembers (the flame colours of every function shown). */
const MAX_REMEMBERED_COLOURS = 50_000;
const remembered = new Map<string, number>();
let normalizer: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour a canvas accepts, as a pixel: the canvas itself normalizes it (once). */
export function canvasPixelOf(css: string): number {
  let pixel = remembered.get(css);
  if (pixel !== undefined) return pixel;
  normalizer ??= document.createElement('canvas').getContext('2d');
  if (!normalizer) return 0;
  normalizer.fillStyle = '#000000';
  normalizer.fillStyle = css;
  pixel = pixelOfCanvasColour(String(normalizer.fillStyle));
  if (remembered.size >= MAX_REMEMBERED_COLOURS) remembered.clear();
  remembered.set(css, pixel);
  return pixel;
}
