/** Width or height in CSS pixels (the canvas backing store is this times devicePixelRatio). */
export type CssPixels = number;

/** Device pixels per CSS pixel: what every canvas backing store is sized by. */
export function pixelRatio(): number {
  return window.devicePixelRatio || 1;
}

/**
 * Sizes a canvas's backing store for the screen's pixel ratio and returns a context that draws
 * in CSS pixels. Resizing clears the canvas, so it happens only when the size changed.
 */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: CssPixels,
  height: CssPixels,
): CanvasRenderingContext2D | undefined {
  const ratio = pixelRatio();
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d', { alpha: true });
  if (!ctx) return undefined;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
