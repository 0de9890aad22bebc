import { describe, expect, it } from 'vitest';
import {
  MIN_VIEW_SPAN,
  clampView,
  panBy,
  rangeBetween,
  spanOf,
  timeAtX,
  timeTicks,
  xAtTime,
  zoomAround,
} from '../../src/renderer/charts/time-viewport';

const bounds = { start: 0, end: 1_000_000_000 };

describe('the time viewport', () => {
  it('maps times to pixels and back', () => {
    const view = { start: 100, end: 1100 };
    expect(xAtTime(view, 600, 500)).toBe(250);
    expect(timeAtX(view, 250, 500)).toBe(600);
  });

  it('zooms around the pointer: the time under it stays under it', () => {
    const view = { start: 200_000_000, end: 600_000_000 };
    const anchor = 300_000_000;
    const zoomed = zoomAround(view, anchor, 0.5, bounds);
    expect(spanOf(zoomed)).toBe(200_000_000);
    const before = (anchor - view.start) / spanOf(view);
    const after = (anchor - zoomed.start) / spanOf(zoomed);
    expect(after).toBeCloseTo(before, 12);
  });

  it('never zooms out past the recording nor in below a microsecond', () => {
    expect(zoomAround(bounds, 5e8, 10, bounds)).toEqual(bounds);
    const tiny = zoomAround({ start: 5e8, end: 5e8 + 2_000 }, 5e8 + 1_000, 0.001, bounds);
    expect(spanOf(tiny)).toBe(MIN_VIEW_SPAN);
  });

  it('pans by moving the window, stopping at the edges without shrinking it', () => {
    const view = { start: 100_000_000, end: 300_000_000 };
    expect(panBy(view, 50_000_000, bounds)).toEqual({ start: 150_000_000, end: 350_000_000 });
    expect(panBy(view, -500_000_000, bounds)).toEqual({ start: 0, end: 200_000_000 });
    expect(panBy(view, 2e9, bounds)).toEqual({ start: 800_000_000, end: 1_000_000_000 });
  });

  it('orders a drag in either direction', () => {
    expect(rangeBetween(9, 3)).toEqual({ start: 3, end: 9 });
    expect(clampView({ start: -5, end: 5 }, { start: 0, end: 100 }, 1)).toEqual({
      start: 0,
      end: 10,
    });
  });

  it('places ticks on round times at least the minimum spacing apart', () => {
    const { step, times } = timeTicks({ start: 0, end: 239_000_000 }, 1200, 90);
    expect(step).toBe(20_000_000);
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBe(220_000_000);
    for (let i = 1; i < times.length; i++) {
      expect(
        xAtTime({ start: 0, end: 239_000_000 }, times[i]! - times[i - 1]!, 1200),
      ).toBeGreaterThanOrEqual(90);
    }
  });
});
