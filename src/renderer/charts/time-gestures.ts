import type { Nanoseconds } from '../../shared/model';
import type { CssPixels } from './canvas';
import { panBy, rangeBetween, spanOf, timeAtX, zoomAround, type TimeRange } from './time-viewport';

/**
 * The one gesture layer of the time-based charts (the timeline and the flame chart, which share
 * one time viewport): the wheel in pixels, lines or pages; Ctrl (or ⌘) + wheel zooms at the
 * pointer; Shift + wheel or a sideways wheel pans; dragging pans or selects; keys step.
 * Pure: the views hand it plain numbers and a target that holds the view.
 */

/** What a gesture changes: the shared time viewport (the timeline store). */
export interface ViewportTarget {
  readonly view: TimeRange;
  /** Everything there is; views stay inside. */
  readonly bounds: TimeRange;
  /** One step of a gesture (the session is asked about the view once the gesture rests). */
  stepView(next: TimeRange): void;
}

/** The parts of a WheelEvent a gesture reads. */
export interface WheelLike {
  deltaMode: number;
  deltaX: number;
  deltaY: number;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** WheelEvent.deltaMode: pixels, lines, pages. */
const DOM_DELTA_LINE = 1;
const DOM_DELTA_PAGE = 2;
/** Lines and pages in pixels, roughly as browsers scroll them. */
export const WHEEL_LINE: CssPixels = 16;
export const WHEEL_PAGE: CssPixels = 400;
/** Zoom per wheel pixel: the view's span is multiplied by exp(pixels × this). */
export const ZOOM_PER_WHEEL_PIXEL = 0.0025;
/** A pointer that moves less than this between down and up clicked, it did not drag. */
export const DRAG_THRESHOLD: CssPixels = 3;
/** Keyboard and button steps: zoom in halves the span, out doubles it; a pan moves a fifth. */
export const KEY_ZOOM_IN = 0.5;
export const KEY_ZOOM_OUT = 2;
export const KEY_PAN = 0.2;

/** A wheel delta in CSS pixels, whatever unit the device reported it in. */
export function wheelPixels(deltaMode: number, delta: number): CssPixels {
  if (deltaMode === DOM_DELTA_LINE) return delta * WHEEL_LINE;
  if (deltaMode === DOM_DELTA_PAGE) return delta * WHEEL_PAGE;
  return delta;
}

export type WheelIntent =
  /** Zoom around the pointer: the span is multiplied by `factor`. */
  | { kind: 'zoom'; factor: number }
  /** Pan by a fraction of the span (positive: later). */
  | { kind: 'pan'; fraction: number }
  /** Not a time gesture: let the rows scroll. */
  | { kind: 'scroll' };

/**
 * What a wheel event over a time chart `width` pixels wide asks for. Over the rows a plain
 * vertical wheel scrolls them; over a time axis it zooms.
 */
export function wheelIntent(e: WheelLike, width: CssPixels, onAxis = false): WheelIntent {
  const sideways = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
  if (e.ctrlKey || e.metaKey || (onAxis && !sideways)) {
    return {
      kind: 'zoom',
      factor: Math.exp(wheelPixels(e.deltaMode, e.deltaY) * ZOOM_PER_WHEEL_PIXEL),
    };
  }
  if (!sideways) return { kind: 'scroll' };
  const dx = wheelPixels(e.deltaMode, e.shiftKey ? e.deltaY : e.deltaX);
  return { kind: 'pan', fraction: dx / Math.max(1, width) };
}

/** How a drag ended: a click (it never moved), a selected range, or a pan. */
export type DragEnd = { kind: 'click' } | { kind: 'select'; range: TimeRange } | { kind: 'pan' };

interface Drag {
  kind: 'pan' | 'select';
  pointerId: number;
  startX: CssPixels;
  startTime: Nanoseconds;
  startView: TimeRange;
  moved: boolean;
  selection: TimeRange | undefined;
}

/** Runs a function once before the next frame (requestAnimationFrame in a view). */
export type FrameRequest = (run: () => void) => void;

/** Wheel steps waiting for the next frame: zoom factors multiply, pans add up. */
interface PendingWheel {
  factor: number;
  anchorX: CssPixels;
  width: CssPixels;
  fraction: number;
}

/** Wheel, drag and keyboard gestures of one chart over the shared viewport. */
export class TimeGestures {
  private drag: Drag | undefined;
  private pending: PendingWheel | undefined;
  /** A frame was asked for: wheel steps until it runs are summed into `pending`. */
  private framing = false;

  /**
   * `frame`: when given, the first wheel step applies at once (no frame of latency) and the
   * steps that follow it before the next frame are summed and applied then (a wheel or a trackpad
   * sends several events a frame; each view change re-lays out every chart and asks the session
   * again); without it each applies at once.
   */
  constructor(
    private readonly target: ViewportTarget,
    private readonly frame?: FrameRequest,
  ) {}

  /**
   * A wheel event at `x` (CSS pixels from the chart's left edge). True when it changed the view
   * (the caller then keeps the page from scrolling).
   */
  wheel(e: WheelLike, x: CssPixels, width: CssPixels, onAxis = false): boolean {
    const intent = wheelIntent(e, width, onAxis);
    switch (intent.kind) {
      case 'zoom':
        this.queueWheel(intent.factor, 0, x, width);
        return true;
      case 'pan':
        this.queueWheel(1, intent.fraction, x, width);
        return true;
      case 'scroll':
        return false;
      default: {
        const never: never = intent;
        return never;
      }
    }
  }

  private queueWheel(factor: number, fraction: number, x: CssPixels, width: CssPixels): void {
    if (!this.frame) {
      this.applyWheel({ factor, fraction, anchorX: x, width });
      return;
    }
    if (!this.framing) {
      this.applyWheel({ factor, fraction, anchorX: x, width });
      this.framing = true;
      this.frame(() => {
        this.framing = false;
        const next = this.pending;
        this.pending = undefined;
        if (next) this.applyWheel(next);
      });
      return;
    }
    const p = this.pending;
    if (p) {
      p.factor *= factor;
      p.fraction += fraction;
      p.anchorX = x;
      p.width = width;
    } else this.pending = { factor, fraction, anchorX: x, width };
  }

  /** One view change for every wheel step since the last frame. */
  private applyWheel(p: PendingWheel): void {
    const { view, bounds } = this.target;
    let next = view;
    if (p.factor !== 1) {
      next = zoomAround(
        next,
        timeAtX(next, Math.max(0, Math.min(p.width, p.anchorX)), p.width),
        p.factor,
        bounds,
      );
    }
    if (p.fraction !== 0) next = panBy(next, p.fraction * spanOf(next), bounds);
    if (next !== view) this.target.stepView(next);
  }

  /** Zooms around a time (the view's middle by default): `factor` < 1 zooms in. */
  zoom(factor: number, anchor?: Nanoseconds): void {
    const { view, bounds } = this.target;
    this.target.stepView(zoomAround(view, anchor ?? (view.start + view.end) / 2, factor, bounds));
  }

  /** Pans by a fraction of the span (positive: later). */
  pan(fraction: number): void {
    const { view, bounds } = this.target;
    this.target.stepView(panBy(view, fraction * spanOf(view), bounds));
  }

  /** A pointer went down at `x`: a drag that pans the view or selects a range. */
  startDrag(kind: 'pan' | 'select', pointerId: number, x: CssPixels, width: CssPixels): void {
    this.drag = {
      kind,
      pointerId,
      startX: x,
      startTime: this.timeAt(x, width),
      startView: this.target.view,
      moved: false,
      selection: undefined,
    };
  }

  get dragging(): boolean {
    return this.drag !== undefined;
  }

  /**
   * The pointer moved to `x`: a pan moves the view with it, a selection grows. Returns the
   * selection so far (undefined for a pan or before the pointer left the click threshold).
   */
  moveDrag(pointerId: number, x: CssPixels, width: CssPixels): TimeRange | undefined {
    const drag = this.drag;
    if (!drag || drag.pointerId !== pointerId) return undefined;
    if (Math.abs(x - drag.startX) > DRAG_THRESHOLD) drag.moved = true;
    if (!drag.moved) return undefined;
    if (drag.kind === 'pan') {
      const delta = ((drag.startX - x) / Math.max(1, width)) * spanOf(drag.startView);
      this.target.stepView(panBy(drag.startView, delta, this.target.bounds));
      return undefined;
    }
    drag.selection = rangeBetween(drag.startTime, this.timeAt(x, width));
    return drag.selection;
  }

  /** The pointer went up: what the drag was. Undefined for another pointer or no drag. */
  endDrag(pointerId: number): DragEnd | undefined {
    const drag = this.drag;
    if (!drag || drag.pointerId !== pointerId) return undefined;
    this.drag = undefined;
    if (!drag.moved) return { kind: 'click' };
    if (drag.kind === 'select' && drag.selection) return { kind: 'select', range: drag.selection };
    return { kind: 'pan' };
  }

  /** The time at `x`, held inside the chart. */
  timeAt(x: CssPixels, width: CssPixels): Nanoseconds {
    return timeAtX(this.target.view, Math.max(0, Math.min(width, x)), width);
  }
}
