import {
  TRANSFORM_KINDS,
  TRANSFORM_LIMITS,
  type Transform,
  type TransformKind,
} from '../contract/session-api';

/**
 * What a window shows of a recording, as plain data: kept in the URL in served mode (a reload or
 * a copied link restores it) and per recording in the desktop app's preferences. Every field is
 * optional: what is missing takes its default. Indexes (threads, event, functions) are only
 * meaningful for the recording they were saved with; the renderer checks them against it.
 */
export interface ViewState {
  tab?: string;
  event?: number;
  merge?: boolean;
  frames?: 'all' | 'user' | 'kernel';
  /** Time selection, ns from the profile's start. */
  selection?: { start: number; end: number };
  /** The timeline's visible window. */
  zoom?: { start: number; end: number };
  thread?: number;
  scope?: 'all' | 'process' | 'thread';
  transforms?: Transform[];
  inverted?: boolean;
  /** Flame graph and top functions search, flame chart search. */
  search?: string;
  chartSearch?: string;
  /** Flame graph zoom path (function indexes). */
  flameFocus?: number[];
}

/** Bounds on a state read back (a URL or a preferences file is untrusted input). */
export const VIEW_STATE_LIMITS = { textLength: 64 * 1024, search: 1000, focusPath: 512 } as const;

/**
 * The transforms in `list`, checked: a list of at most TRANSFORM_LIMITS.count known kinds with
 * names of bounded length. Throws an Error naming the first problem.
 */
export function checkTransforms(list: unknown): Transform[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new Error('transforms must be a list');
  if (list.length > TRANSFORM_LIMITS.count)
    throw new Error(`at most ${TRANSFORM_LIMITS.count} transforms, not ${list.length}`);
  return list.map((t: unknown, i) => checkTransform(t, i));
}

function checkTransform(t: unknown, i: number): Transform {
  if (!t || typeof t !== 'object') throw new Error(`transform ${i} is not an object`);
  const { kind, name, path, inverted } = t as Record<string, unknown>;
  if (!TRANSFORM_KINDS.includes(kind as TransformKind))
    throw new Error(`transform ${i}: unknown kind ${JSON.stringify(kind)?.slice(0, 40)}`);
  if (kind === 'focus-subtree') {
    if (!Array.isArray(path) || path.length === 0 || path.length > TRANSFORM_LIMITS.pathLength)
      throw new Error(
        `transform ${i}: focus-subtree needs a path of 1 to ${TRANSFORM_LIMITS.pathLength} functions`,
      );
    path.forEach((p: unknown, k) => checkName(p, `transform ${i}, path entry ${k}`));
    if (inverted !== undefined && typeof inverted !== 'boolean')
      throw new Error(`transform ${i}: inverted must be true or false`);
    return { kind, path: path as string[], ...(inverted ? { inverted: true } : {}) };
  }
  checkName(name, `transform ${i}`);
  return { kind: kind as Exclude<TransformKind, 'focus-subtree'>, name: name as string };
}

function checkName(name: unknown, where: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > TRANSFORM_LIMITS.nameLength)
    throw new Error(`${where}: the name must be 1 to ${TRANSFORM_LIMITS.nameLength} characters`);
}

const isIndex = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31;
const isRange = (v: unknown): v is { start: number; end: number } =>
  !!v &&
  typeof v === 'object' &&
  Number.isFinite((v as { start: unknown }).start) &&
  Number.isFinite((v as { end: unknown }).end) &&
  (v as { end: number }).end > (v as { start: number }).start;
const isText = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= VIEW_STATE_LIMITS.search;

/**
 * A view state read back, with every field checked: fields of the wrong type or size are left
 * out (they take their defaults), the rest kept. Never throws.
 */
export function checkViewState(raw: unknown): ViewState {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const out: ViewState = {};
  if (typeof r.tab === 'string' && r.tab.length <= 40) out.tab = r.tab;
  if (isIndex(r.event)) out.event = r.event;
  if (typeof r.merge === 'boolean') out.merge = r.merge;
  if (r.frames === 'all' || r.frames === 'user' || r.frames === 'kernel') out.frames = r.frames;
  if (isRange(r.selection)) out.selection = { start: r.selection.start, end: r.selection.end };
  if (isRange(r.zoom)) out.zoom = { start: r.zoom.start, end: r.zoom.end };
  if (isIndex(r.thread)) out.thread = r.thread;
  if (r.scope === 'all' || r.scope === 'process' || r.scope === 'thread') out.scope = r.scope;
  try {
    const transforms = checkTransforms(r.transforms);
    if (transforms.length) out.transforms = transforms;
  } catch {
    // a damaged transform list is dropped whole: a partial one would mean something else
  }
  if (typeof r.inverted === 'boolean') out.inverted = r.inverted;
  if (isText(r.search)) out.search = r.search;
  if (isText(r.chartSearch)) out.chartSearch = r.chartSearch;
  if (
    Array.isArray(r.flameFocus) &&
    r.flameFocus.length <= VIEW_STATE_LIMITS.focusPath &&
    r.flameFocus.every(isIndex)
  )
    out.flameFocus = [...(r.flameFocus as number[])];
  return out;
}

/** The state as text (JSON). */
export function viewStateText(state: ViewState): string {
  return JSON.stringify(state);
}

/** A state from text: bounded, checked; {} for anything unreadable. */
export function viewStateFromText(text: string): ViewState {
  if (text.length > VIEW_STATE_LIMITS.textLength) return {};
  try {
    return checkViewState(JSON.parse(text));
  } catch {
    return {};
  }
}
