import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RENDERER_BUILD_HINT =
  'the user interface is not built (out/renderer/index.html is missing): run `npx electron-vite build` ' +
  'in the perf workstation checkout';

/**
 * Finds the built renderer (`out/renderer`) from this module's location: `out/node/perfws.js`,
 * a chunk in `out/node/chunks/`, or `src/cli/serve/` when running from sources.
 */
export function resolveRendererDir(moduleUrl: string = import.meta.url): string | undefined {
  const here = dirname(fileURLToPath(moduleUrl));
  const candidates = [
    join(here, '..', 'renderer'),
    join(here, '..', '..', 'renderer'),
    join(here, '..', '..', '..', 'out', 'renderer'),
  ];
  // Only a build output (`out/renderer`): src/renderer has an index.html too, unbuilt.
  return candidates.find(
    (dir) => basename(dirname(dir)) === 'out' && existsSync(join(dir, 'index.html')),
  );
}
