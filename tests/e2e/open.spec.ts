import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, fixture, screenshot, test } from './support/served';

/** Samples in perf's own `perf script` output: one header line per sample. */
function oracleSampleCount(recording: string): number {
  const script = readFileSync(fixture(`real/${recording}/oracle/script.txt`), 'utf8');
  return script.split('\n').filter((line) => line && !/^\s/.test(line)).length;
}

test('opening a deferred recording shows the sample count and the merge statistics', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('deferred/forkexec-edge/perf.data'));
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('summary-samples')).toHaveText(
    oracleSampleCount('forkexec').toLocaleString('en-US'),
  );
  const stats = JSON.parse(
    readFileSync(fixture('deferred/forkexec-edge/expected-stats.json'), 'utf8'),
  ) as Record<string, number>;
  const expectCount = async (id: string, n: number | undefined): Promise<void> =>
    expect(page.getByTestId(id)).toHaveText(n!.toLocaleString('en-US'));
  await expectCount('merge-deferred', stats.deferredSamples);
  await expectCount('merge-merged', stats.merged);
  await expectCount('merge-mismatch', stats.unmergedCookieMismatch);
  await expectCount('merge-end', stats.unmergedEndOfSession);
  await expectCount('merge-records', stats.deferredRecords);
  await expectCount('merge-shared', stats.recordsSharedBySeveralSamples);
  await expectCount('merge-orphans', stats.recordsMatchingNothing);
  await expect(page.getByTestId('summary-cmdline')).toContainText('perf record');
});

test('a classic recording: fp-recurse shows perf’s sample count and no deferred callchains', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/fp-recurse/perf.data'));
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('summary-samples')).toHaveText(
    oracleSampleCount('fp-recurse').toLocaleString('en-US'),
  );
  await expect(page.getByTestId('merge-stats')).toContainText('No deferred user callchains');
  await expect(page.getByTestId('merge-toggle')).toBeDisabled();
  await screenshot(page, 'summary-light');
});

test('a file that is not a recording fails in place, with the reason and a way to reopen', async ({
  page,
  perfws,
}) => {
  const notPerf = join(tmpdir(), `perfws-not-a-recording-${process.pid}.data`);
  writeFileSync(notPerf, 'this is not perf data\n'.repeat(20));
  const server = await perfws.serve(notPerf);
  await page.goto(server.url);
  const status = page.getByTestId('recording-status');
  await expect(status).toHaveAttribute('data-phase', 'failed');
  await expect(page.getByTestId('failure-message')).toContainText(/PERFILE2|magic|perf/i);
  await expect(page.getByTestId('reopen')).toBeVisible();
  await screenshot(page, 'failed-light');
});
