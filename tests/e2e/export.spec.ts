import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from './support/build-renderer';
import { expect, fixture, fixtureSymbols, test } from './support/served';
import { SessionOracle } from './support/oracle';

const PERFWS = join(ROOT, 'out', 'node', 'perfws.js');

/** Whether the built command line has `perfws collapse` (being added alongside this work). */
function hasCollapseCommand(): boolean {
  if (!existsSync(PERFWS)) return false;
  const help = spawnSync(process.execPath, [PERFWS, '--help'], { encoding: 'utf8' });
  return /^\s+collapse\b/m.test(help.stdout);
}

async function exportFolded(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByTestId('export-folded').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('perf.data.folded');
  return readFileSync(await file.path(), 'utf8');
}

test('export saves the folded stacks of the current filters, byte for byte', async ({
  page,
  perfws,
}) => {
  const file = fixture('real/forkexec/perf.data');
  const symbols = fixtureSymbols();
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);

  const everything = await exportFolded(page);
  expect(everything).toBe(await oracle.folded({ filters: { event: 0 } }));
  // What stackcollapse-perf.pl makes of `perf script` (the session's oracle), line order aside.
  const perfFolded = readFileSync(fixture('real/forkexec/oracle/folded.txt'), 'utf8');
  expect(everything.split('\n').filter(Boolean).sort()).toEqual(
    perfFolded.split('\n').filter(Boolean).sort(),
  );

  // With user frames only, the export follows the filter.
  await page.getByTestId('frames-filter').getByText('User').click();
  const userOnly = await exportFolded(page);
  expect(userOnly).toBe(await oracle.folded({ filters: { event: 0, frames: 'user' } }));
  expect(userOnly).not.toBe(everything);
});

test('export equals `perfws collapse` for the same recording', async ({ page, perfws }) => {
  test.skip(
    !hasCollapseCommand(),
    'out/node/perfws.js has no `collapse` command yet (npm run build after it lands)',
  );
  const file = fixture('deferred/forkexec-edge/perf.data');
  const symbols = fixtureSymbols();
  await perfws.open(page, file, symbols);
  const exported = await exportFolded(page);
  const collapse = spawnSync(
    process.execPath,
    [
      PERFWS,
      'collapse',
      '-i',
      file,
      '--symfs',
      symbols.symfs!,
      '--kallsyms',
      symbols.kallsyms!,
      '--buildid-dir',
      symbols.buildidDir!,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  expect(collapse.status, collapse.stderr).toBe(0);
  expect(exported).toBe(collapse.stdout);
});
