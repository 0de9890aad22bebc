import { describe, expect, it } from 'vitest';
import { drawActivity, drawSelection } from '../../src/renderer/charts/timeline-draw';
import { TEST_THEME } from './chart-theme';
import { RecordingContext } from './fake-canvas';

/** Four bins over [0, 400): idle, full, half, idle. */
const series = { start: 0, end: 400, bins: Float64Array.from([0, 2, 1, 0]), scale: 0.5 };

describe('timeline drawing', () => {
  it('draws a bar per non-empty bin, as tall as its share', () => {
    const ctx = new RecordingContext();
    drawActivity(ctx.asContext(), series, { start: 0, end: 400 }, 400, 22, 'activity');
    expect(ctx.only('rect')).toEqual(['rect 100 2 100 20 activity', 'rect 200 12 100 10 activity']);
  });

  it('maps bins fetched for another view through the current one (zoomed in twice)', () => {
    const ctx = new RecordingContext();
    drawActivity(ctx.asContext(), series, { start: 100, end: 300 }, 400, 22, 'activity');
    expect(ctx.only('rect')).toEqual(['rect 0 2 200 20 activity', 'rect 200 12 200 10 activity']);
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
});
