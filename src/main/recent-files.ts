import { createHash } from 'node:crypto';
import type { RecentEntry } from '../shared/contract';
import {
  parseRecordingTarget,
  recordingFolder,
  recordingName,
  type RecordingTarget,
} from './recording-target';
import type { JsonFile } from './json-file';

/** What the operating system keeps of our recent list (`app.addRecentDocument`...). */
export interface SystemRecentDocuments {
  addRecentDocument(path: string): void;
  clearRecentDocuments(): void;
}

export type StoredRecent = RecordingTarget[];

export const RECENT_LIMIT = 10;

/**
 * Recently opened recordings, most recent first, persisted. The renderer sees names and opaque
 * ids only; opening one goes through the id, so it can never name a path itself.
 */
export class RecentFiles {
  private entries: RecordingTarget[];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly file: JsonFile<StoredRecent>,
    private readonly system: SystemRecentDocuments,
  ) {
    this.entries = file.read();
  }

  list(): RecentEntry[] {
    return this.entries.map((t) => ({
      id: recentId(t.path),
      name: recordingName(t.path),
      where: recordingFolder(t.path),
    }));
  }

  target(id: string): RecordingTarget | undefined {
    return this.entries.find((t) => recentId(t.path) === id);
  }

  add(target: RecordingTarget): void {
    this.entries = [target, ...this.entries.filter((t) => t.path !== target.path)].slice(
      0,
      RECENT_LIMIT,
    );
    this.system.addRecentDocument(target.path);
    this.changed();
  }

  remove(path: string): void {
    const kept = this.entries.filter((t) => t.path !== path);
    if (kept.length === this.entries.length) return;
    this.entries = kept;
    this.changed();
  }

  clear(): void {
    this.entries = [];
    this.system.clearRecentDocuments();
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.file.write(this.entries);
    for (const l of this.listeners) l();
  }
}

/** Stable across runs (menus rebuilt later still match), and says nothing about the path. */
export function recentId(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 16);
}

export function parseStoredRecent(raw: unknown): StoredRecent | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw
    .map(parseRecordingTarget)
    .filter((t): t is RecordingTarget => t !== undefined)
    .slice(0, RECENT_LIMIT);
}
