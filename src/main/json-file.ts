import { closeSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openTemporaryBeside } from './temporary-file';

/**
 * A small JSON document in the user-data folder (recent files, preferences). Reads tolerate a
 * missing or damaged file (the defaults come back); writes go to a temporary file first and are
 * renamed over the old one, so a crash mid-write never leaves half a file.
 */
export class JsonFile<T> {
  constructor(
    readonly path: string,
    private readonly parse: (raw: unknown) => T | undefined,
    private readonly defaults: () => T,
  ) {}

  read(): T {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return this.defaults();
    }
    try {
      return this.parse(JSON.parse(text)) ?? this.defaults();
    } catch {
      return this.defaults();
    }
  }

  write(value: T): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const { path: temporary, fd } = openTemporaryBeside(this.path);
      try {
        writeFileSync(fd, JSON.stringify(value, null, 2) + '\n');
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.path);
    } catch (e) {
      // Losing a recent-files update is not worth interrupting the user for.
      console.warn(`perf workstation: could not save ${this.path}: ${(e as Error).message}`);
    }
  }
}
