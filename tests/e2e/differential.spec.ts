import { join } from 'node:path';
import { expect, fixture, fixtureSymbols, screenshot, test, useTheme } from './support/served';
import { ROOT } from './support/build-renderer';

/** `perfws serve BASE --compare NEW`: threads for 0.1 s against the same program for 0.3 s. */
test('the differential flame graph of two recordings colours each path by its change', async ({
  page,
  perfws,
}) => {
  const symbols = { ...fixtureSymbols(), kallsyms: fixture('real/diff/kallsyms') };
  await perfws.open(
    page,
    fixture('real/diff/threads-0.1/perf.data'),
    symbols,
    fixture('real/diff/threads-0.3/perf.data'),
  );
  await page.keyboard.press('2');
  const canvas = page.getByTestId('differential-canvas');
  await expect(canvas).toBeVisible({ timeout: 60_000 });
  await expect(canvas).not.toHaveAttribute('data-nodes', '0');
  expect(Number(await canvas.getAttribute('data-max-delta'))).toBeGreaterThan(0);
  await expect(page.getByTestId('differential-flame-graph')).toContainText(
    'New (threads-0.3/perf.data) vs. Baseline (this recording)',
  );

  // The root row: both recordings' whole share, no change.
  const box = (await canvas.locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height - 9);
  const tooltip = page.getByTestId('differential-flame-graph').locator('.chart-tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText('New (threads-0.3/perf.data)');
  await expect(tooltip).toContainText('Baseline (this recording)');
  await expect(tooltip).toContainText('Change');
  // the root's change, as the call tree must show it too
  await page.mouse.move(box.x + box.width * 0.02, box.y + box.height - 9);
  await expect(tooltip).toContainText('[unknown]');
  const rootChange = /Change\s*([+−][\d.]+ pp)/.exec((await tooltip.textContent())!)![1]!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height - 45);
  await screenshot(page, 'differential-flame-graph-light');
  await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'differential-light.png') });
  await useTheme(page, 'dark');
  await screenshot(page, 'differential-flame-graph-dark');

  // The call tree (this recording's, the baseline's) gains the new recording's share and the change.
  await useTheme(page, 'light');
  await page.keyboard.press('6');
  await expect(page.getByTestId('tree-other-header')).toHaveText('New %');
  const first = page.getByTestId('tree-row').first();
  await expect(first).toHaveAttribute('data-name', '[unknown]');
  await expect(first.getByTestId('tree-change')).toHaveText(rootChange);
  await screenshot(page, 'differential-call-tree-light');
  await page.keyboard.press('2');

  // Off: the plain flame graph of this recording again.
  await page.getByTestId('flame-differential').uncheck();
  await expect(page.getByTestId('flame-graph-canvas')).toBeVisible();
  await expect(page.getByTestId('differential-flame-graph')).toHaveCount(0);
});

test('two time ranges of one recording compare in the same differential mode', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/fp-recurse/perf.data'));
  const track = page.locator('[data-thread-index]').first().locator('canvas');
  const box = (await track.boundingBox())!;
  const drag = async (from: number, to: number): Promise<void> => {
    await page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
  };
  await drag(0.05, 0.35);
  const chip = page.getByTestId('selection-chip');
  await expect(chip).toBeVisible();
  const first = await chip.getAttribute('data-start');
  await page.getByTestId('flame-baseline').click();
  const canvas = page.getByTestId('differential-canvas');
  await expect(canvas).toBeVisible();
  await expect(page.getByTestId('differential-flame-graph')).toContainText(
    'Selection vs. Baseline (',
  );
  // the baseline against itself: no change
  await expect(canvas).not.toHaveAttribute('data-nodes', '0');
  await expect(canvas).toHaveAttribute('data-max-delta', '0');
  await drag(0.6, 0.95);
  await expect(chip).not.toHaveAttribute('data-start', first!);
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-max-delta')))
    .toBeGreaterThan(0);
  await screenshot(page, 'differential-time-ranges-light');
});
