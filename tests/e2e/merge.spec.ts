import { expect, fixture, screenshot, test } from './support/served';
import { pixelsNear } from './support/pixels';

/** Stripe colour of unmerged frames and dot colour of deferred ones (charts/frame-colors.ts). */
const UNMERGED_STRIPE: [number, number, number] = [215, 66, 66];
const DEFERRED_DOT: [number, number, number] = [144, 94, 201];

test('the merge toggle switches every view between merged stacks and stacks as recorded', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('deferred/forkexec-edge/perf.data'));
  const toggle = page.getByTestId('merge-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const flameCanvas = page.getByTestId('flame-graph-canvas').locator('canvas');

  // Merged (perf 6.19's default): the six samples whose user stack never came are unmerged.
  await expect.poll(() => pixelsNear(flameCanvas, UNMERGED_STRIPE)).toBeGreaterThan(10);
  expect(await pixelsNear(flameCanvas, DEFERRED_DOT)).toBe(0);
  await page.getByTestId('tab-top-functions').click();
  const names = page.getByTestId('top-row').locator('.name');
  await expect(names.filter({ hasText: '[user stack unavailable' }).first()).toBeVisible();
  await expect(names.filter({ hasText: '[deferred user stack]' })).toHaveCount(0);

  // As recorded: deferred samples end in the cookie frame; nothing is "unavailable".
  await page.keyboard.press('m');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(names.filter({ hasText: '[deferred user stack]' }).first()).toBeVisible();
  await expect(names.filter({ hasText: '[user stack unavailable' })).toHaveCount(0);

  await page.getByTestId('tab-flame-graph').click();
  await expect.poll(() => pixelsNear(flameCanvas, DEFERRED_DOT)).toBeGreaterThan(10);
  await screenshot(page, 'flame-graph-merge-off-light');

  // The sample list shows the thread's CALLCHAIN_DEFERRED records between its samples.
  await page.getByTestId('tab-samples').click();
  await expect(page.getByTestId('deferred-record-count')).toBeVisible();
  const record = page.getByTestId('deferred-record').first();
  await expect(record).toContainText('DEFERRED CALLCHAIN');
  await record.click();
  await expect(page.getByTestId('callchain').first().locator('.frame').first()).toBeVisible();
  await screenshot(page, 'samples-merge-off-light');

  // And back: merged stacks, no records.
  await page.keyboard.press('m');
  await expect(page.getByTestId('deferred-record-count')).toHaveCount(0);
  await expect(page.getByTestId('deferred-record')).toHaveCount(0);
});
