import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonFile } from '../../../src/main/json-file';
import {
  DEFAULT_PREFERENCES,
  parsePreferences,
  PreferenceStore,
  REMEMBERED_VIEWS,
} from '../../../src/main/preferences';
import {
  parseStoredRecent,
  RECENT_LIMIT,
  RecentFiles,
  recentId,
  type StoredRecent,
} from '../../../src/main/recent-files';

const scratch = mkdtempSync(join(tmpdir(), 'perfws-persist-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

function recentFiles(initial?: string) {
  const path = join(scratch, `recent-${counter++}.json`);
  if (initial !== undefined) writeFileSync(path, initial);
  const system = { added: [] as string[], cleared: 0 };
  const store = () =>
    new RecentFiles(new JsonFile<StoredRecent>(path, parseStoredRecent, () => []), {
      addRecentDocument: (p) => system.added.push(p),
      clearRecentDocuments: () => system.cleared++,
    });
  return { path, system, store };
}

describe('RecentFiles', () => {
  it('keeps recordings most recent first, with their symbols, across restarts', () => {
    const { store, system } = recentFiles();
    const recent = store();
    recent.add({ path: '/a/perf.data', symbols: {} });
    recent.add({ path: '/b/run.data', symbols: { symfs: '/b/symfs' } });
    recent.add({ path: '/a/perf.data', symbols: {} });
    expect(system.added).toEqual(['/a/perf.data', '/b/run.data', '/a/perf.data']);

    const again = store();
    expect(again.list()).toEqual([
      { id: recentId('/a/perf.data'), name: 'perf.data', where: '/a' },
      { id: recentId('/b/run.data'), name: 'run.data', where: '/b' },
    ]);
    expect(again.target(recentId('/b/run.data'))).toEqual({
      path: '/b/run.data',
      symbols: { symfs: '/b/symfs' },
    });
  });

  it('gives the renderer opaque ids, never paths', () => {
    const { store } = recentFiles();
    const recent = store();
    recent.add({ path: '/secret/dir/perf.data', symbols: {} });
    const [entry] = recent.list();
    expect(entry?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(entry?.id).not.toContain('secret');
    expect(recent.target('/secret/dir/perf.data')).toBeUndefined();
  });

  it(`keeps at most ${RECENT_LIMIT}`, () => {
    const { store } = recentFiles();
    const recent = store();
    for (let i = 0; i < RECENT_LIMIT + 3; i++) recent.add({ path: `/r/${i}.data`, symbols: {} });
    expect(recent.list()).toHaveLength(RECENT_LIMIT);
    expect(recent.list()[0]?.name).toBe(`${RECENT_LIMIT + 2}.data`);
  });

  it('clears its list and the operating system one, and tells listeners', () => {
    const { store, system, path } = recentFiles();
    const recent = store();
    let changes = 0;
    recent.onChange(() => changes++);
    recent.add({ path: '/a.data', symbols: {} });
    recent.clear();
    expect(recent.list()).toEqual([]);
    expect(system.cleared).toBe(1);
    expect(changes).toBe(2);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([]);
  });

  it('forgets a recording that is gone', () => {
    const { store } = recentFiles();
    const recent = store();
    recent.add({ path: '/a.data', symbols: {} });
    recent.add({ path: '/b.data', symbols: {} });
    recent.remove('/a.data');
    expect(recent.list().map((e) => e.name)).toEqual(['b.data']);
  });

  it('starts empty from a damaged file and drops entries it cannot trust', () => {
    expect(recentFiles('{ not json').store().list()).toEqual([]);
    const kept = recentFiles(
      JSON.stringify([
        { path: '/ok.data', symbols: {} },
        { path: 'relative.data', symbols: {} },
        { path: '/sym.data', symbols: { kallsyms: 42 } },
        'junk',
      ]),
    ).store();
    expect(kept.list().map((e) => e.name)).toEqual(['ok.data']);
  });
});

describe('PreferenceStore', () => {
  it('remembers the theme and falls back to the default for anything unknown', () => {
    const path = join(scratch, 'preferences.json');
    const file = () => new JsonFile(path, parsePreferences, () => ({ ...DEFAULT_PREFERENCES }));
    expect(new PreferenceStore(file()).get()).toEqual({ theme: 'system' });
    new PreferenceStore(file()).update({ theme: 'dark' });
    expect(new PreferenceStore(file()).get()).toEqual({ theme: 'dark' });
    writeFileSync(path, JSON.stringify({ theme: 'purple' }));
    expect(new PreferenceStore(file()).get()).toEqual({ theme: 'system' });
  });
});

describe('JsonFile', () => {
  it('writes through a temporary file, leaving no temporary behind', () => {
    const path = join(scratch, 'sub', 'doc.json');
    const file = new JsonFile(
      path,
      (raw) => raw as number[],
      () => [],
    );
    file.write([1, 2]);
    expect(file.read()).toEqual([1, 2]);
    expect(readFileSync(path, 'utf8')).toBe('[\n  1,\n  2\n]\n');
  });
});

describe('view state per recording', () => {
  it('remembers the last view of each recording across restarts, the oldest forgotten first', () => {
    const path = join(scratch, `prefs-${counter++}.json`);
    const file = () => new JsonFile(path, parsePreferences, () => ({ ...DEFAULT_PREFERENCES }));
    const prefs = new PreferenceStore(file());
    prefs.saveView('/a/perf.data', { tab: 'call-tree', inverted: true });
    for (let i = 0; i < REMEMBERED_VIEWS; i++)
      prefs.saveView(`/many/${i}.data`, { tab: 'samples' });
    prefs.saveView('/b/perf.data', {
      transforms: [{ kind: 'merge-function', name: 'malloc' }],
    });
    const again = new PreferenceStore(file());
    expect(again.view('/b/perf.data')).toEqual({
      transforms: [{ kind: 'merge-function', name: 'malloc' }],
    });
    expect(again.view('/a/perf.data')).toBeUndefined();
    expect(Object.keys(again.get().views ?? {})).toHaveLength(REMEMBERED_VIEWS);
  });

  it('reads a damaged view back as its sound fields only', () => {
    const prefs = parsePreferences({
      theme: 'dark',
      views: { '/a.data': { tab: 'flame-graph', event: 'x', selection: { start: 5, end: 1 } } },
    });
    expect(prefs?.views).toEqual({ '/a.data': { tab: 'flame-graph' } });
  });
});
