import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RENDERER_BUILD_HINT =
  'the user interface is not built (out/renderer/index.html is missing): run `npm run build:renderer` ' +
  '(or `npx electron-vite build`) in the perf workstation checkout';

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
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}
