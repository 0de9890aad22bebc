import type { CssPixels } from './canvas';

/**
 * Opaque or translucent rectangles written straight into an ImageData, then put on the canvas
 * in one call. In Chromium without GPU a `fillRect` costs about 2 µs and setting `fillStyle` to
 * an `hsl()` string parses it every time: the flame chart's 25,000 boxes on the benchmark
 * recording took 55–75 ms a draw. The rectangles come in rows (the rows of boxes): every
 * rectangle starting on a device row has the same height, and rows do not overlap. So each
 * rectangle is written in its row's first line only, and `put` copies each first line down its
 * row: writing every line of a box a pixel wide touched a cache line per pixel. The rectangles
 * are in CSS pixels and land on whole device pixels; `putImageData` replaces what the canvas
 * had, so the fills go first and whatever is drawn over them after `put`.
 */
/** A rectangle at most this wide is written pixel by pixel. */
const NARROW_PX = 8;

export class PixelFills {
  private image: ImageData | undefined;
  private pixels = new Uint32Array(0);
  private widthPx = 0;
  private heightPx = 0;
  private ratio = 1;
  /** The rows written: first device line to the end line. */
  private readonly rows = new Map<number, number>();

  /** `pixelOf`: a CSS colour as the 32-bit pixel of this machine's byte order (0 when unknown). */
  constructor(
    private readonly pixelOf: (css: string) => number,
    private readonly createImage: (width: number, height: number) => ImageData = (w, h) =>
      new ImageData(w, h),
  ) {}

  /** Starts a picture of `width` x `height` device pixels, transparent. */
  begin(widthPx: number, heightPx: number, ratio: number): void {
    if (!this.image || this.image.width !== widthPx || this.image.height !== heightPx) {
      this.image = this.createImage(widthPx, heightPx);
      this.pixels = new Uint32Array(this.image.data.buffer);
    } else this.pixels.fill(0);
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.ratio = ratio;
    this.rows.clear();
  }

  fill(x: CssPixels, y: CssPixels, width: CssPixels, height: CssPixels, css: string): void {
    const { ratio, widthPx, heightPx, pixels } = this;
    const x0 = Math.max(0, Math.round(x * ratio));
    const x1 = Math.min(widthPx, Math.max(x0 + 1, Math.round((x + width) * ratio)));
    const y0 = Math.max(0, Math.round(y * ratio));
    const y1 = Math.min(heightPx, Math.max(y0 + 1, Math.round((y + height) * ratio)));
    if (x1 <= x0 || y1 <= y0) return;
    const rowEnd = this.rows.get(y0);
    if (rowEnd === undefined) this.rows.set(y0, y1);
    else if (rowEnd !== y1) {
      throw new Error(`pixel fills: rectangles from line ${y0} end at line ${rowEnd} and ${y1}`);
    }
    const pixel = this.pixelOf(css);
    const line = y0 * widthPx;
    if (x1 - x0 > NARROW_PX) pixels.fill(pixel, line + x0, line + x1);
    else for (let x = x0; x < x1; x++) pixels[line + x] = pixel;
  }

  /** A copy of the picture as put last. */
  snapshot(): ImageData | undefined {
    if (!this.image) return undefined;
    const copy = this.createImage(this.image.width, this.image.height);
    copy.data.set(this.image.data);
    return copy;
  }

  /** Puts the picture on the canvas (device pixels, the context's transform ignored). */
  put(ctx: CanvasRenderingContext2D): void {
    const { pixels, widthPx } = this;
    for (const [first, end] of this.rows) {
      const from = first * widthPx;
      for (let line = first + 1; line < end; line++)
        pixels.copyWithin(line * widthPx, from, from + widthPx);
    }
    this.rows.clear();
    if (this.image) ctx.putImageData(this.image, 0, 0);
  }
}

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
