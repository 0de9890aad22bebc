import type { Locator } from '@playwright/test';

/** How many pixels of a canvas are not transparent: proof that something was drawn. */
export async function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

/** Counts pixels close to an RGB colour (for "the hatched unmerged frames are drawn"). */
export async function pixelsNear(
  canvas: Locator,
  rgb: [number, number, number],
  tolerance = 12,
): Promise<number> {
  return canvas.evaluate(
    (el, [target, tol]) => {
      const c = el as HTMLCanvasElement;
      const ctx = c.getContext('2d');
      if (!ctx) return 0;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs(data[i]! - target[0]) <= tol &&
          Math.abs(data[i + 1]! - target[1]) <= tol &&
          Math.abs(data[i + 2]! - target[2]) <= tol &&
          data[i + 3]! > 200
        )
          n++;
      }
      return n;
    },
    [rgb, tolerance] as const,
  );
}
