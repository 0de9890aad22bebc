import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The checkout the tests start Electron on. */
export const APP_ROOT = join(import.meta.dirname, '..', '..');

interface StartScript {
  locateElectron(
    root: string,
    env: NodeJS.ProcessEnv,
  ): { ok: true; path: string } | { ok: false; reason: string };
  environmentProblem(
    env: NodeJS.ProcessEnv,
    platform: NodeJS.Platform,
    uid: number | undefined,
    electronArgs: string[],
  ): string | undefined;
  BUILD_OUTPUTS: string[];
}

export type ElectronRuntime =
  { ok: true; executablePath: string; args: string[] } | { ok: false; reason: string };

/**
 * Whether Electron can run here, decided exactly as `npm start` decides it (scripts/start.mjs):
 * the same lookup of the runtime, the same display and sandbox checks.
 */
export async function electronRuntime(): Promise<ElectronRuntime> {
  const start = (await import(
    pathToFileURL(join(APP_ROOT, 'scripts', 'start.mjs')).href
  )) as StartScript;
  // Playwright's own processes run as whoever runs the tests; Electron refuses root unless told.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const found = start.locateElectron(APP_ROOT, process.env);
  if (!found.ok) return { ok: false, reason: found.reason };
  const problem = start.environmentProblem(process.env, process.platform, process.getuid?.(), args);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, executablePath: found.path, args };
}

/** Build outputs the app needs, missing ones listed. */
export async function missingBuildOutputs(): Promise<string[]> {
  const start = (await import(
    pathToFileURL(join(APP_ROOT, 'scripts', 'start.mjs')).href
  )) as StartScript;
  return start.BUILD_OUTPUTS.filter((p) => !existsSync(join(APP_ROOT, p)));
}

/** Printed once by the runner, so a skip here is never silent. */
export function skipBanner(reason: string): string {
  const line = '!'.repeat(78);
  return [
    '',
    line,
    '!! SKIPPED: the Electron test (tests/electron) did not run.',
    `!! Reason: ${reason}.`,
    '!! The desktop shell was checked by its unit tests only (tests/unit/main, tests/unit/preload).',
    line,
    '',
  ].join('\n');
}
