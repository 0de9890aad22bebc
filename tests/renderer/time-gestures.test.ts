import { describe, expect, it } from 'vitest';
import {
  DRAG_THRESHOLD,
  KEY_PAN,
  KEY_ZOOM_IN,
  TimeGestures,
  WHEEL_LINE,
  WHEEL_PAGE,
  wheelIntent,
  wheelPixels,
  type ViewportTarget,
  type WheelLike,
} from '../../src/renderer/charts/time-gestures';
import {
  clampView,
  spanOf,
  timeAtX,
  type TimeRange,
} from '../../src/renderer/charts/time-viewport';

/** A viewport like the timeline store: it clamps what it is given to its bounds. */
class Viewport implements ViewportTarget {
  readonly bounds = { start: 0, end: 1_000_000 };
  view: TimeRange = { start: 200_000, end: 600_000 };
  stepView(next: TimeRange): void {
    this.view = clampView(next, this.bounds);
  }
}

const wheel = (e: Partial<WheelLike>): WheelLike => ({
  deltaMode: 0,
  deltaX: 0,
  deltaY: 0,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...e,
});

describe('wheel deltas', () => {
  it('count pixels, lines and pages in pixels', () => {
    expect(wheelPixels(0, 40)).toBe(40);
    expect(wheelPixels(1, 3)).toBe(3 * WHEEL_LINE);
    expect(wheelPixels(2, -1)).toBe(-WHEEL_PAGE);
  });

  it('zoom with Ctrl or ⌘ (and on a time axis), pan sideways or with Shift, else scroll', () => {
    expect(wheelIntent(wheel({ deltaY: -100, ctrlKey: true }), 500)).toEqual({
      kind: 'zoom',
      factor: Math.exp(-0.25),
    });
    expect(wheelIntent(wheel({ deltaY: 100, metaKey: true }), 500).kind).toBe('zoom');
    expect(wheelIntent(wheel({ deltaY: 100 }), 500)).toEqual({ kind: 'scroll' });
    expect(wheelIntent(wheel({ deltaY: 100 }), 500, true).kind).toBe('zoom');
    expect(wheelIntent(wheel({ deltaY: 50, shiftKey: true }), 500)).toEqual({
      kind: 'pan',
      fraction: 0.1,
    });
    expect(wheelIntent(wheel({ deltaX: -50, deltaY: 10 }), 500, true)).toEqual({
      kind: 'pan',
      fraction: -0.1,
    });
  });

  it('treat a page or a line of wheel like the pixels it stands for, when zooming and panning', () => {
    const pages = wheelIntent(wheel({ deltaMode: 2, deltaY: 1, ctrlKey: true }), 500);
    const pixels = wheelIntent(wheel({ deltaY: WHEEL_PAGE, ctrlKey: true }), 500);
    expect(pages).toEqual(pixels);
    const lines = wheelIntent(wheel({ deltaMode: 1, deltaY: 2, shiftKey: true }), 500);
    expect(lines).toEqual({ kind: 'pan', fraction: (2 * WHEEL_LINE) / 500 });
  });
});

describe('time gestures', () => {
  it('zoom at the cursor: the time under the pointer stays under it', () => {
    const target = new Viewport();
    const gestures = new TimeGestures(target);
    const x = 125;
    const under = timeAtX(target.view, x, 500);
    expect(gestures.wheel(wheel({ deltaY: -200, ctrlKey: true }), x, 500)).toBe(true);
    expect(spanOf(target.view)).toBeCloseTo(400_000 * Math.exp(-0.5), 6);
    expect(timeAtX(target.view, x, 500)).toBeCloseTo(under, 6);
  });

  it('leave a plain vertical wheel to the rows', () => {
    const target = new Viewport();
    const before = target.view;
    expect(new TimeGestures(target).wheel(wheel({ deltaY: 100 }), 10, 500)).toBe(false);
    expect(target.view).toBe(before);
  });

  it('pan with the wheel, stopping at the recording’s edges', () => {
    const target = new Viewport();
    const gestures = new TimeGestures(target);
    gestures.wheel(wheel({ deltaY: 125, shiftKey: true }), 0, 500);
    expect(target.view).toEqual({ start: 300_000, end: 700_000 });
    gestures.wheel(wheel({ deltaMode: 2, deltaY: 10, shiftKey: true }), 0, 500);
    expect(target.view).toEqual({ start: 600_000, end: 1_000_000 });
  });

  it('pan by dragging: the grabbed time follows the pointer', () => {
    const target = new Viewport();
    const gestures = new TimeGestures(target);
    gestures.startDrag('pan', 1, 300, 500);
    expect(gestures.moveDrag(1, 302, 500)).toBeUndefined(); // within the click threshold
    expect(target.view).toEqual({ start: 200_000, end: 600_000 });
    gestures.moveDrag(2, 100, 500); // another pointer: not this drag
    expect(target.view).toEqual({ start: 200_000, end: 600_000 });
    gestures.moveDrag(1, 250, 500);
    expect(target.view).toEqual({ start: 240_000, end: 640_000 });
    expect(gestures.endDrag(1)).toEqual({ kind: 'pan' });
    expect(gestures.dragging).toBe(false);
  });

  it('select a range by dragging either way, or click when the pointer barely moved', () => {
    const target = new Viewport();
    const gestures = new TimeGestures(target);
    gestures.startDrag('select', 7, 400, 500);
    expect(gestures.moveDrag(7, 100, 500)).toEqual({ start: 280_000, end: 520_000 });
    expect(gestures.moveDrag(7, 600, 500)).toEqual({ start: 520_000, end: 600_000 });
    expect(gestures.endDrag(7)).toEqual({
      kind: 'select',
      range: { start: 520_000, end: 600_000 },
    });
    expect(target.view).toEqual({ start: 200_000, end: 600_000 });
    gestures.startDrag('select', 8, 400, 500);
    gestures.moveDrag(8, 400 + DRAG_THRESHOLD, 500);
    expect(gestures.endDrag(8)).toEqual({ kind: 'click' });
    expect(gestures.endDrag(8)).toBeUndefined();
  });

  it('step with the keys: zoom around the middle, pan by a fifth', () => {
    const target = new Viewport();
    const gestures = new TimeGestures(target);
    gestures.zoom(KEY_ZOOM_IN);
    expect(target.view).toEqual({ start: 300_000, end: 500_000 });
    gestures.pan(-KEY_PAN);
    expect(target.view).toEqual({ start: 260_000, end: 460_000 });
  });
});

describe('wheel coalescing', () => {
  it('applies the first wheel step at once and the rest of its frame as one change, the same view as one by one', () => {
    const frames: (() => void)[] = [];
    const coalesced = new Viewport();
    let changes = 0;
    const set = coalesced.stepView.bind(coalesced);
    coalesced.stepView = (v) => {
      changes++;
      set(v);
    };
    const g = new TimeGestures(coalesced, (run) => frames.push(run));
    const direct = new Viewport();
    const d = new TimeGestures(direct);
    for (const e of [
      wheel({ deltaY: -60, ctrlKey: true }),
      wheel({ deltaY: -60, ctrlKey: true }),
      wheel({ deltaY: -60, ctrlKey: true }),
    ]) {
      expect(g.wheel(e, 250, 500)).toBe(true);
      d.wheel(e, 250, 500);
    }
    // the first step moved the view at once, the other two wait for the one frame asked for
    expect(changes).toBe(1);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(changes).toBe(2);
    expect(coalesced.view.start).toBeCloseTo(direct.view.start, 3);
    expect(coalesced.view.end).toBeCloseTo(direct.view.end, 3);
    // a pan in the next frame
    g.wheel(wheel({ deltaY: 100, shiftKey: true }), 250, 500);
    g.wheel(wheel({ deltaY: 100, shiftKey: true }), 250, 500);
    d.wheel(wheel({ deltaY: 100, shiftKey: true }), 250, 500);
    d.wheel(wheel({ deltaY: 100, shiftKey: true }), 250, 500);
    frames.shift()!();
    expect(changes).toBe(4);
    expect(coalesced.view.start).toBeCloseTo(direct.view.start, 3);
  });
});
