import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { FoldedExportOptions, SymbolSettings } from '../../src/shared/contract';
import type { CallContext } from '../../src/shared/rpc';
import { SessionService } from '../../src/session/service';
import { FIXTURES } from './recordings';

/** perf's inputs for the real fixtures: their symfs, their kallsyms, an empty build-id cache. */
export const FIXTURE_SYMBOLS: SymbolSettings = {
  symfs: join(FIXTURES, 'real', 'symfs'),
  kallsyms: join(FIXTURES, 'real', 'kallsyms'),
  buildidDir: mkdtempSync(join(tmpdir(), 'perfws-buildid-')),
};

/**
 * The symbol sources of the recording in `dir`: recordings made in another boot than the corpus's
 * kallsyms carry their own (real/NAME/kallsyms), and so do their deferred variants through it
 * (deferred/NAME-merged, deferred/NAME-edge).
 */
export function fixtureSymbols(dir: string): SymbolSettings {
  const original = basename(dir).replace(/-(merged|edge)$/, '');
  for (const kallsyms of [join(dir, 'kallsyms'), join(FIXTURES, 'real', original, 'kallsyms')]) {
    if (existsSync(kallsyms)) return { ...FIXTURE_SYMBOLS, kallsyms };
  }
  return FIXTURE_SYMBOLS;
}

/** Settings as the command line's symbol options (--symfs, --kallsyms, --buildid-dir). */
export function symbolArgs(s: SymbolSettings): string[] {
  return [
    ...(s.symfs ? ['--symfs', s.symfs] : []),
    ...(s.kallsyms ? ['--kallsyms', s.kallsyms] : []),
    ...(s.buildidDir ? ['--buildid-dir', s.buildidDir] : []),
  ];
}

export function context(events: { name: string; data: unknown }[] = []): CallContext {
  return {
    signal: new AbortController().signal,
    emit: (name, data) => events.push({ name, data }),
  };
}

/** The folded export's text (its `chunk` events joined). */
export async function exportText(
  service: SessionService,
  options: Partial<FoldedExportOptions> = {},
): Promise<string> {
  const events: { name: string; data: unknown }[] = [];
  await service.exportFolded({ filters: {}, ...options }, context(events));
  return events
    .filter((e) => e.name === 'chunk')
    .map((e) => e.data as string)
    .join('');
}

/** A session with a fixture opened in-process. */
export async function openFixture(relative: string): Promise<SessionService> {
  const service = new SessionService();
  const path = join(FIXTURES, relative);
  await service.open({ path, symbols: fixtureSymbols(dirname(path)) }, context());
  return service;
}
