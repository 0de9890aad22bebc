import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SymbolSettings } from '../../src/shared/contract';
import type { CallContext } from '../../src/shared/rpc';
import { SessionService } from '../../src/session/service';
import { FIXTURES } from './recordings';

/** perf's inputs for the real fixtures: their symfs, their kallsyms, an empty build-id cache. */
export const FIXTURE_SYMBOLS: SymbolSettings = {
  symfs: join(FIXTURES, 'real', 'symfs'),
  kallsyms: join(FIXTURES, 'real', 'kallsyms'),
  buildidDir: mkdtempSync(join(tmpdir(), 'perfws-buildid-')),
};

export function context(events: { name: string; data: unknown }[] = []): CallContext {
  return {
    signal: new AbortController().signal,
    emit: (name, data) => events.push({ name, data }),
  };
}

/** A session with a fixture opened in-process. */
export async function openFixture(relative: string): Promise<SessionService> {
  const service = new SessionService();
  await service.open({ path: join(FIXTURES, relative), symbols: FIXTURE_SYMBOLS }, context());
  return service;
}
