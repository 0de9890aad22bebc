import { describe, expect, it } from 'vitest';
import { ColumnPixels } from '../../src/renderer/charts/column-pixels';
import {
  drawSelection,
  drawTimelineAxis,
  drawTrack,
  type TrackPaint,
} from '../../src/renderer/charts/timeline-draw';
import { TEST_THEME } from './chart-theme';
import { fakeImageData, RecordingContext } from './fake-canvas';

/** Four bins over [0, 400): idle, full, half, idle. */
const series = { start: 0, end: 400, bins: Float64Array.from([0, 2, 1, 0]), scale: 0.5 };

/** Each colour name of the test theme as a pixel: its first letter's code. */
const pixelOfName = (css: string): number => css.charCodeAt(0);

/** A context that keeps the pixels put on it, as rows of colour letters ('.': transparent). */
class PixelContext extends RecordingContext {
  rows: string[] = [];
  override putImageData(
    image: ImageData,
    x: number,
    y: number,
    _dx = 0,
    _dy = 0,
    width = image.width,
    height = image.height,
  ): void {
    super.putImageData(image, x, y);
    const pixels = new Uint32Array(image.data.buffer);
    this.rows = [];
    for (let row = 0; row < height; row++) {
      const line = pixels.subarray(row * image.width, row * image.width + width);
      this.rows.push(String.fromCharCode(...[...line].map((p) => p || 46)));
    }
  }
}

/** One track of `width` x `height` CSS pixels drawn at `ratio`: its pixels and its calls. */
function track(paint: Partial<TrackPaint> & { width: number; height: number }, ratio = 1) {
  const ctx = new PixelContext();
  drawTrack(
    ctx.asContext(),
    {
      view: { start: 0, end: 400 },
      // distinct first letters: g(rid), a(ctivity), p(icked thread), h(ighlighted call node)
      theme: { ...TEST_THEME, activitySelectedThread: 'picked', accent: 'highlight' },
      series: undefined,
      picked: false,
      selection: undefined,
      marker: undefined,
      hover: undefined,
      ...paint,
    },
    new ColumnPixels(pixelOfName, fakeImageData),
    ratio,
  );
  return ctx;
}

describe('timeline drawing', () => {
  it('writes a bar per non-empty bin as pixels, as tall as its share, over the grid', () => {
    // 8 pixels for 4 bins: 2 columns a bin; 4 lines usable (the height less 2) from the bottom
    const ctx = track({ width: 8, height: 6, series });
    expect(ctx.rows).toEqual([
      'g.......',
      'g.......',
      'g.aa....',
      'g.aa....',
      'g.aaaa..',
      'g.aaaa..',
    ]);
    // one picture, put once, with no rectangle drawn for the grid or the bars
    expect(ctx.only('putImageData')).toEqual(['putImageData 8x6 at 0 0']);
    expect(ctx.only('fillRect')).toEqual([]);
  });

  it('maps bins fetched for another view through the current one (zoomed in twice)', () => {
    const ctx = track({ width: 8, height: 6, series, view: { start: 100, end: 300 } });
    expect(ctx.rows.slice(2)).toEqual(['aaaa....', 'aaaa....', 'aaaaaaaa', 'aaaaaaaa']);
  });

  it("draws the last bin, up to the right edge, and the call node's share over the bars", () => {
    const busyAtTheEnd = { start: 0, end: 400, bins: Float64Array.from([1, 0, 0, 2]), scale: 0.5 };
    const highlight = { ...busyAtTheEnd, bins: Float64Array.from([0, 0, 0, 1]) };
    const ctx = track({ width: 8, height: 6, series: busyAtTheEnd, highlight, picked: true });
    expect(ctx.rows).toEqual([
      'g.......',
      'g.......',
      'g.....pp',
      'g.....pp',
      'pp....hh',
      'pp....hh',
    ]);
  });

  it('lands on device pixels at another pixel ratio', () => {
    const ctx = track(
      { width: 4, height: 3, series: { ...series, bins: Float64Array.from([0, 0, 2, 0]) } },
      2,
    );
    expect(ctx.only('putImageData')).toEqual(['putImageData 8x6 at 0 0']);
    // the bar: column 2 (device 4-5), 1 line usable of 3 CSS lines (device lines 4-5)
    expect(ctx.rows.slice(4)).toEqual(['gg..aa..', 'gg..aa..']);
  });

  it('shades the selection and draws its edges', () => {
    const ctx = new RecordingContext();
    drawSelection(
      ctx.asContext(),
      { start: 0, end: 400 },
      { start: 100, end: 200 },
      400,
      30,
      TEST_THEME,
    );
    expect(ctx.only('fillRect')).toEqual([
      'fillRect 100 0 100 30 selection',
      'fillRect 100 0 1 30 selection-edge',
      'fillRect 199 0 1 30 selection-edge',
    ]);
  });

  it("labels the pointer's time on the axis", () => {
    const ctx = new RecordingContext();
    drawTimelineAxis(ctx.asContext(), {
      view: { start: 0, end: 400_000_000 },
      width: 400,
      height: 24,
      theme: TEST_THEME,
      selection: undefined,
      marker: undefined,
      hover: 200_000_000,
    });
    expect(ctx.only('text').at(-1)).toBe('text 179 "200 ms"');
  });
});
