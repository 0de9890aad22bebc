import { describe, expect, it } from 'vitest';
import type { FlameChartAnswer } from '../../src/shared/contract';
import { BoxPainter } from '../../src/renderer/charts/box-painter';
import { drawFlameChart, drawHoveredBox } from '../../src/renderer/charts/flame-chart-draw';
import { PaintedLayers } from '../../src/renderer/charts/painted-layers';
import { PixelFills, pixelOfCanvasColour } from '../../src/renderer/charts/pixel-fills';
import { TEST_THEME } from './chart-theme';
import { fakeImageData, RecordingContext } from './fake-canvas';

/** Each colour name of the test theme (and any other string) as a distinct pixel. */
const names = new Map<string, number>();
const pixelOfName = (css: string): number => {
  if (!names.has(css)) names.set(css, names.size + 1);
  return names.get(css)!;
};

/** A canvas of pixels that only takes `putImageData` (with its dirty rectangle). */
class PixelCanvas {
  readonly pixels: Uint32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint32Array(width * height);
  }
  putImageData(
    image: ImageData,
    dx: number,
    dy: number,
    sx: number,
    sy: number,
    w: number,
    h: number,
  ) {
    const from = new Uint32Array(image.data.buffer);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        this.pixels[(dy + sy + y) * this.width + dx + sx + x] =
          from[(sy + y) * image.width + sx + x]!;
  }
}

/** The pixels of a picture, once put, as rows of colour names ('.' where transparent). */
function rowsOf(fills: PixelFills, width: number, height: number): string[] {
  const canvas = new PixelCanvas(width, height);
  fills.put(canvas as unknown as CanvasRenderingContext2D);
  const nameOf = new Map([...names].map(([css, p]) => [p, css[0]!]));
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = '';
    for (let x = 0; x < width; x++) {
      const p = canvas.pixels[y * width + x]!;
      row += p ? nameOf.get(p) : '.';
    }
    rows.push(row);
  }
  return rows;
}

describe('pixel fills', () => {
  it('reads the colours a canvas writes back as RGBA pixels in either byte order', () => {
    expect(pixelOfCanvasColour('#ff8000', true)).toBe(0xff0080ff);
    expect(pixelOfCanvasColour('#ff8000', false)).toBe(0xff8000ff);
    expect(pixelOfCanvasColour('rgba(16, 32, 48, 0.5)', true)).toBe(0x80302010);
    expect(pixelOfCanvasColour('rgb(16, 32, 48)', false)).toBe(0x102030ff);
    expect(pixelOfCanvasColour('hsl(10 50% 50%)')).toBe(0);
  });

  it('writes rectangles on whole device pixels, clipped, narrow or wide alike', () => {
    const fills = new PixelFills(pixelOfName, fakeImageData);
    fills.begin(24, 4, 2);
    fills.fill(-1, 0, 2, 1, 'a'); // cut by the left edge: device pixels 0..2
    fills.fill(2.3, 0, 0.2, 1, 'b'); // narrower than a pixel: still one
    fills.fill(4, 1, 6, 1, 'c'); // wider than the narrow path: 12 device pixels
    fills.fill(11, 0, 5, 1, 'd'); // past the right edge
    expect(rowsOf(fills, 24, 4)).toEqual([
      'aa...b................dd',
      'aa...b................dd',
      '........cccccccccccc....',
      '........cccccccccccc....',
    ]);
    // the rows taken put the same picture again; a new picture starts transparent
    const taken = fills.take();
    const again = new PixelCanvas(24, 4);
    fills.putRows(again as unknown as CanvasRenderingContext2D, taken);
    expect(again.pixels.filter((p) => p !== 0)).toHaveLength(2 * (3 + 12 + 2));
    fills.begin(24, 4, 2);
    expect(rowsOf(fills, 24, 4).join('')).toBe('.'.repeat(96));
  });

  it('refuses rectangles of two heights from one line (they come in rows)', () => {
    const fills = new PixelFills(pixelOfName, fakeImageData);
    fills.begin(24, 4, 1);
    fills.fill(0, 0, 2, 2, 'a');
    expect(() => fills.fill(4, 0, 2, 3, 'b')).toThrow(/from line 0 end at line 2 and 3/);
  });

  it('puts the fills before what the painter draws over them', () => {
    const ctx = new RecordingContext();
    const fills = new PixelFills(pixelOfName, fakeImageData);
    fills.begin(100, 18, 1);
    const painter = new BoxPainter(ctx.asContext(), TEST_THEME, fills);
    const box = { y: 0, kind: 'user' as const, hovered: false, match: undefined };
    painter.paint({ ...box, x: 0, width: 60, name: 'main' });
    painter.paint({ ...box, x: 60, width: 1, name: 'sliver' });
    expect(ctx.calls).toEqual([]);
    const over = painter.finish();
    expect(ctx.calls).toEqual(['putImageData 100x17 at 0 0', 'text 4 "main"']);
    // the boxes drawn over their fills, for a kept picture to draw again
    expect(over.map((b) => b.name)).toEqual(['main']);
    expect(ctx.only('fillRect')).toEqual([]);
  });
});

/** main over [0, 100); a then b under it, 1000 ns over 100 px. */
const chart: FlameChartAnswer = {
  start: 0,
  end: 1000,
  depth: Uint16Array.from([0, 1, 1, 1]),
  boxStart: Float64Array.from([0, 0, 500, 504]),
  boxEnd: Float64Array.from([1000, 500, 503, 1000]),
  func: Int32Array.from([0, 1, 2, 1]),
  funcs: {
    0: { name: 'main', lib: 'app', kind: 'user' },
    1: { name: 'alpha', lib: 'app', kind: 'user' },
    2: { name: 'beta', lib: 'app', kind: 'kernel' },
  },
  maxDepth: 1,
};
const state = {
  theme: TEST_THEME,
  view: { start: 0, end: 1000 },
  width: 100,
  height: 36,
  scrollTop: 0,
  hovered: -1,
  matches: undefined,
  marker: undefined,
};

describe('flame chart fills as pixels', () => {
  it('fills the same rectangles as fillRect does', () => {
    const plain = new RecordingContext();
    drawFlameChart(plain.asContext(), chart, state);
    const fills = new PixelFills(pixelOfName, fakeImageData);
    fills.begin(100, 36, 1);
    const direct = new PixelFills(pixelOfName, fakeImageData);
    direct.begin(100, 36, 1);
    for (const call of plain.only('fillRect')) {
      const [x, y, w, h] = call.split(' ').slice(1, 5).map(Number);
      direct.fill(x!, y!, w!, h!, call.split(' ')[5]!);
    }
    const ctx = new RecordingContext();
    drawFlameChart(ctx.asContext(), chart, { ...state, fills });
    expect(ctx.only('fillRect')).toEqual([]);
    expect(rowsOf(fills, 100, 36)).toEqual(rowsOf(direct, 100, 36));
    expect(ctx.only('text')).toEqual(plain.only('text'));
  });

  it('draws the hovered box alone, outlined', () => {
    const ctx = new RecordingContext();
    drawHoveredBox(ctx.asContext(), chart, { ...state, hovered: 1 });
    expect(ctx.only('fillRect')).toHaveLength(1);
    expect(ctx.only('fillRect')[0]).toMatch(/^fillRect 0 18 49 17 /);
    expect(ctx.only('strokeRect')).toHaveLength(1);
    const none = new RecordingContext();
    drawHoveredBox(none.asContext(), chart, state);
    expect(none.calls).toEqual([]);
  });
});

describe('painted layers', () => {
  it('finds the picture of an owner and key, keeping the most recently used', () => {
    const layers = new PaintedLayers<object, string>(2);
    const a = {};
    const b = {};
    expect(layers.find(a, 'k')).toBeUndefined();
    layers.keep(a, 'k', 'a-k');
    expect(layers.find(a, 'k')).toBe('a-k');
    expect(layers.find(b, 'k')).toBeUndefined(); // another owner
    layers.keep(b, 'k', 'b-k');
    expect(layers.find(a, 'k')).toBe('a-k'); // used again: b is the oldest
    layers.keep(a, 'other', 'a-other'); // b goes
    expect(layers.find(b, 'k')).toBeUndefined();
    expect(layers.find(a, 'k')).toBe('a-k');
    expect(layers.find(a, 'other')).toBe('a-other');
  });
});
