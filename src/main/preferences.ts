import type { HostCommand } from '../shared/contract';
import type { JsonFile } from './json-file';

export type Theme = Extract<HostCommand, { type: 'theme' }>['theme'];
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** What the app remembers between runs besides recent files. */
export interface Preferences {
  theme: Theme;
}

export const DEFAULT_PREFERENCES: Preferences = { theme: 'system' };

export function parsePreferences(raw: unknown): Preferences | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { theme } = raw as { theme?: unknown };
  return { theme: THEMES.find((t) => t === theme) ?? DEFAULT_PREFERENCES.theme };
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
}
