import type { HostCommand } from '../shared/contract';
import { checkViewState, type ViewState } from '../shared/view-state/view-state';
import type { JsonFile } from './json-file';

export type Theme = Extract<HostCommand, { type: 'theme' }>['theme'];
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** What the app remembers between runs besides recent files. */
export interface Preferences {
  theme: Theme;
  /** The last view of each recording, by path, least recently used first. */
  views?: Record<string, ViewState>;
}

export const DEFAULT_PREFERENCES: Preferences = { theme: 'system' };

/** Recordings whose view is remembered (the oldest is forgotten first). */
export const REMEMBERED_VIEWS = 50;

export function parsePreferences(raw: unknown): Preferences | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { theme, views } = raw as { theme?: unknown; views?: unknown };
  const prefs: Preferences = {
    theme: THEMES.find((t) => t === theme) ?? DEFAULT_PREFERENCES.theme,
  };
  if (views && typeof views === 'object' && !Array.isArray(views)) {
    const kept = Object.entries(views as Record<string, unknown>).slice(-REMEMBERED_VIEWS);
    prefs.views = Object.fromEntries(kept.map(([path, v]) => [path, checkViewState(v)]));
  }
  return prefs;
}

/** The preferences with `state` as the view of `path` (most recently used last, bounded). */
export function withView(prefs: Preferences, path: string, state: ViewState): Preferences {
  const views = Object.entries(prefs.views ?? {}).filter(([p]) => p !== path);
  views.push([path, state]);
  return { ...prefs, views: Object.fromEntries(views.slice(-REMEMBERED_VIEWS)) };
}

/** The preferences, persisted on every change. */
export class PreferenceStore {
  private current: Preferences;

  constructor(private readonly file: JsonFile<Preferences>) {
    this.current = file.read();
  }

  get(): Preferences {
    return this.current;
  }

  update(change: Partial<Preferences>): Preferences {
    this.current = { ...this.current, ...change };
    this.file.write(this.current);
    return this.current;
  }

  view(path: string): ViewState | undefined {
    return this.current.views?.[path];
  }

  saveView(path: string, state: ViewState): void {
    this.current = withView(this.current, path, state);
    this.file.write(this.current);
  }
}
