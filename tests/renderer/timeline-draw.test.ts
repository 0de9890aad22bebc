import { describe, expect, it } from 'vitest';
import {
  drawActivity,
  drawSelection,
  drawTimelineAxis,
  drawTrack,
} from '../../src/renderer/charts/timeline-draw';
import { TEST_THEME } from './chart-theme';
import { RecordingContext } from './fake-canvas';

/** Four bins over [0, 400): idle, full, half, idle. */
const series = { start: 0, end: 400, bins: Float64Array.from([0, 2, 1, 0]), scale: 0.5 };

describe('timeline drawing', () => {
  it('draws a bar per non-empty bin, as tall as its share', () => {
    const ctx = new RecordingContext();
    drawActivity(ctx.asContext(), series, { start: 0, end: 400 }, 400, 22, 'activity');
    expect(ctx.only('fillRect')).toEqual([
      'fillRect 100 2 100 20 activity',
      'fillRect 200 12 100 10 activity',
    ]);
  });

  it('maps bins fetched for another view through the current one (zoomed in twice)', () => {
    const ctx = new RecordingContext();
    drawActivity(ctx.asContext(), series, { start: 100, end: 300 }, 400, 22, 'activity');
    expect(ctx.only('fillRect')).toEqual([
      'fillRect 0 2 200 20 activity',
      'fillRect 200 12 200 10 activity',
    ]);
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

  it('draws the last bin, up to the right edge', () => {
    const ctx = new RecordingContext();
    const busyAtTheEnd = { start: 0, end: 400, bins: Float64Array.from([1, 0, 0, 2]), scale: 0.5 };
    drawActivity(ctx.asContext(), busyAtTheEnd, { start: 0, end: 400 }, 400, 22, 'activity');
    expect(ctx.only('fillRect')).toEqual([
      'fillRect 0 12 100 10 activity',
      'fillRect 300 2 100 20 activity',
    ]);
  });

  it('draws a track: grid, activity of the picked thread, selection, picked sample, pointer', () => {
    const ctx = new RecordingContext();
    drawTrack(ctx.asContext(), {
      view: { start: 0, end: 400 },
      width: 400,
      height: 22,
      theme: TEST_THEME,
      series,
      picked: true,
      selection: { start: 300, end: 400 },
      marker: 50,
      hover: 250,
    });
    expect(ctx.only('fillRect').filter((c) => c.endsWith('activity-selected'))).toEqual([
      'fillRect 100 2 100 20 activity-selected',
      'fillRect 200 12 100 10 activity-selected',
    ]);
    expect(ctx.only('fillRect').slice(-5)).toEqual([
      'fillRect 300 0 100 22 selection',
      'fillRect 300 0 1 22 selection-edge',
      'fillRect 399 0 1 22 selection-edge',
      'fillRect 49 0 2 22 marker',
      'fillRect 250 0 1 22 hover',
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
