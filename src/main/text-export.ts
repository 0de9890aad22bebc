import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { openTemporaryBeside } from './temporary-file';

/**
 * Writes text produced in chunks to `destination`: into a temporary file beside it first, renamed
 * over the destination only when everything arrived, so a failed or cancelled export never leaves
 * half a file (nor destroys the file it would have replaced).
 */
export async function writeTextExport<T>(
  destination: string,
  produce: (write: (chunk: string | Uint8Array) => void) => Promise<T>,
): Promise<T> {
  const { path: temporary, fd } = openTemporaryBeside(destination);
  const out = createWriteStream(temporary, { fd, encoding: 'utf8' });
  try {
    const result = await produce((chunk) => out.write(chunk));
    out.end();
    await finished(out);
    await rename(temporary, destination);
    return result;
  } catch (e) {
    out.destroy();
    await unlink(temporary).catch(() => {});
    throw e;
  }
}
