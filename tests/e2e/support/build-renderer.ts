/**
 * Builds only the renderer, exactly as `electron-vite build` builds its renderer section (same
 * config file, same resolution), for when the Electron entries are not there or not needed:
 * the served mode and the end-to-end tests only use `out/renderer`.
 *
 *   npx tsx tests/e2e/support/build-renderer.ts
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
export const RENDERER_INDEX = join(ROOT, 'out', 'renderer', 'index.html');

export async function buildRenderer(): Promise<void> {
  const { config } = await resolveConfig({ root: ROOT }, 'build', 'production');
  if (!config?.renderer) throw new Error('electron.vite.config.ts has no renderer section');
  await build(config.renderer);
}

/** Newest modification time of the files under these directories. */
function newestMtime(dirs: string[]): number {
  let newest = 0;
  const visit = (path: string): void => {
    const s = statSync(path);
    if (s.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const d of dirs) if (existsSync(d)) visit(d);
  return newest;
}

/** True when out/renderer is missing or older than the sources it is built from. */
export function rendererIsStale(): boolean {
  if (!existsSync(RENDERER_INDEX)) return true;
  const sources = newestMtime([
    join(ROOT, 'src', 'renderer'),
    join(ROOT, 'src', 'shared'),
    join(ROOT, 'electron.vite.config.ts'),
  ]);
  return sources > statSync(RENDERER_INDEX).mtimeMs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRenderer();
}
