import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to start the session process: a module path and the Node flags it needs. */
export interface SessionEntry {
  path: string;
  execArgv: string[];
}

/**
 * Finds the session's entry. Built: `out/node/session.js`, next to this module's bundle (which
 * may sit in `out/node/chunks/`). From sources (tests running TypeScript): `src/session/entries/session.ts`
 * through tsx, so the tests always run the current session code.
 */
export function resolveSessionEntry(moduleUrl: string = import.meta.url): SessionEntry {
  const here = dirname(fileURLToPath(moduleUrl));
  for (const dir of [here, join(here, '..')]) {
    const built = join(dir, 'session.js');
    if (existsSync(built)) return { path: built, execArgv: [] };
  }
  const source = join(here, '..', '..', 'session', 'entries', 'session.ts');
  if (existsSync(source)) return { path: source, execArgv: ['--import', 'tsx'] };
  throw new Error('cannot find the session entry out/node/session.js: run `npm run build` first');
}
