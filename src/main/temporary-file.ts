import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A new file beside `destination` (an export, a settings file) to write whole and then rename
 * over it: a random name, created exclusively (O_CREAT|O_EXCL), so never an existing file and
 * never through a symlink planted at a guessed name. (The session keeps the same rule in its
 * own temporary-file.ts: main does not import session code.)
 */
export function openTemporaryBeside(destination: string): { path: string; fd: number } {
  const path = join(
    dirname(destination),
    `.${basename(destination)}.${randomBytes(8).toString('hex')}.partial`,
  );
  return { path, fd: openSync(path, 'wx') };
}
