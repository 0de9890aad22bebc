import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A new file beside `destination` to write whole and then rename over it. Its name is random,
 * and it is created exclusively (O_CREAT|O_EXCL): never an existing file, never through a
 * symlink someone planted at a name they guessed (`OUT.tmp-PID` was guessable).
 */
export function openTemporaryBeside(destination: string): { path: string; fd: number } {
  const path = join(
    dirname(destination),
    `.${basename(destination)}.${randomBytes(8).toString('hex')}.partial`,
  );
  return { path, fd: openSync(path, 'wx') };
}
